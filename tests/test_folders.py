"""Lesson 4's image folders: layout, pixels, reuse by content digest, the held-out test split."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from grader.datasets import fashion_mnist, folders, write_image_folders


@pytest.fixture(scope="module")
def fashion():
    try:
        return fashion_mnist()
    except Exception as exc:  # a machine without Fashion-MNIST: nothing to write
        pytest.skip(f"Fashion-MNIST is not on this machine: {exc}")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory, fashion) -> folders.ImageFolders:
    return write_image_folders(tmp_path_factory.mktemp("folders") / "fashion_folders", fashion)


def test_the_folders_hold_the_courses_sizes(written: folders.ImageFolders) -> None:
    assert not written.reused
    counts = {
        f"{split}/{name}": len(list((written.root / split / name).glob("*.png")))
        for split in ("train", "validation")
        for name in ("shirt", "tshirt_top")
    }
    assert counts == {
        "train/shirt": 1000,
        "train/tshirt_top": 1000,
        "validation/shirt": 500,
        "validation/tshirt_top": 500,
    }
    assert sorted(p.name for p in written.root.iterdir()) == [
        ".fashion-folders.json.lock",
        "fashion-folders.json",
        "train",
        "validation",
    ]


def test_each_file_is_an_8_bit_grey_png_of_its_classes_training_image(
    written: folders.ImageFolders, fashion
) -> None:
    from PIL import Image

    for split in ("train", "validation"):
        expected = folders.folder_split(split, fashion)
        paths = sorted((written.root / split).rglob("*.png"))
        assert len(paths) == len(expected.labels)
        for path, image, label in list(zip(paths, expected.images, expected.labels, strict=True))[
            ::97
        ]:
            with Image.open(io.BytesIO(path.read_bytes())) as png:
                assert png.format == "PNG" and png.mode == "L" and png.size == (28, 28)
                assert np.array_equal(np.asarray(png), image[:, :, 0])
            index = int(path.stem.rsplit("-", 1)[1])
            assert np.array_equal(fashion.train.images[index], image)
            assert fashion.train.labels[index] == folders.FASHION_IDS[label]
            assert path.parent.name == folders.CLASS_NAMES[label]


def test_the_splits_do_not_share_images_and_the_draw_is_fixed(fashion) -> None:
    train, validation = (folders.folder_split(s, fashion) for s in ("train", "validation"))
    seen = {image.tobytes() for image in train.images}
    assert not any(image.tobytes() in seen for image in validation.images)
    assert np.array_equal(folders.folder_split("train", fashion).images, train.images)


def test_the_test_split_is_the_two_classes_of_the_test_set(fashion) -> None:
    test = folders.heldout_split(fashion)
    assert test.images.shape == (2000, 28, 28, 1)
    assert int(test.labels.sum()) == 1000
    originals = fashion.test.labels[np.isin(fashion.test.labels, folders.FASHION_IDS)]
    assert np.array_equal(test.labels, (originals == 0).astype(np.uint8))


def test_a_second_call_reuses_the_folders_and_a_changed_file_is_rewritten(
    tmp_path: Path, fashion
) -> None:
    first = write_image_folders(tmp_path, fashion)
    again = write_image_folders(tmp_path, fashion)
    assert again.reused and again.digest == first.digest
    victim = next((tmp_path / "validation" / "shirt").glob("*.png"))
    victim.write_bytes(b"not a png")
    (tmp_path / "train" / "shirt" / "extra.png").write_bytes(b"")
    repaired = write_image_folders(tmp_path, fashion)
    assert not repaired.reused and repaired.digest == first.digest
    assert not (tmp_path / "train" / "shirt" / "extra.png").exists()


def test_copies_for_the_learner_hold_the_same_files(
    written: folders.ImageFolders, tmp_path: Path
) -> None:
    copy = folders.copy_image_folders(written, tmp_path / "learner")
    assert folders.content_digest(copy) == written.digest


def test_image_dataset_from_directory_reads_them_in_folder_order(
    written: folders.ImageFolders, fashion
) -> None:
    keras = pytest.importorskip("keras")
    dataset = keras.utils.image_dataset_from_directory(
        written.validation,
        label_mode="binary",
        color_mode="grayscale",
        image_size=(28, 28),
        shuffle=False,
        batch_size=1000,
    )
    assert dataset.class_names == list(folders.CLASS_NAMES)
    images, labels = next(iter(dataset))
    expected = folders.folder_split("validation", fashion)
    assert np.array_equal(np.asarray(images).astype(np.uint8), expected.images)
    assert np.array_equal(np.asarray(labels)[:, 0], expected.labels)
