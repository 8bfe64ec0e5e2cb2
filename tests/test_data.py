"""Finding Fashion-MNIST on the machine, in order, and refusing damaged files by name."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from grader.datasets import fashion as data
from grader.datasets import finder
from grader.learner.outcomes import GraderFault

DEBIAN_DIR = data.DEBIAN_DIR
pytestmark = pytest.mark.skipif(
    not DEBIAN_DIR.is_dir(), reason="needs the Debian package dataset-fashion-mnist"
)


def copy_of_the_data(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for file in data.FASHION_MNIST_FILES:
        (folder / file.name).write_bytes((DEBIAN_DIR / file.name).read_bytes())
    return folder


def no_download() -> data.FashionMnist:
    raise OSError("no network in this test")


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Empty stand-ins for the Keras cache and the Debian folder; no $GRADER_DATA_DIR."""
    monkeypatch.delenv(data.DATA_DIR_VARIABLE, raising=False)
    monkeypatch.setattr(data, "KERAS_CACHE", tmp_path / "keras-cache")
    monkeypatch.setattr(data, "DEBIAN_DIR", tmp_path / "debian")
    return tmp_path


def test_the_debian_package_gives_the_whole_dataset() -> None:
    fashion = data.load_fashion_mnist(download=no_download)
    assert fashion.train.images.shape == (60000, 28, 28, 1)
    assert fashion.train.images.dtype == np.uint8 and fashion.train.labels.shape == (60000,)
    assert fashion.test.images.shape == (10000, 28, 28, 1)
    assert sorted(set(fashion.test.labels.tolist())) == list(range(10))
    assert fashion.test.labels[:5].tolist() == [9, 2, 1, 1, 6]


def test_grader_data_dir_comes_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = copy_of_the_data(tmp_path / "mine")
    monkeypatch.setenv(data.DATA_DIR_VARIABLE, str(folder))
    assert data.load_fashion_mnist(download=no_download).source == str(folder)


def test_the_keras_cache_comes_before_the_debian_package(places: Path) -> None:
    copy_of_the_data(places / "keras-cache")
    copy_of_the_data(places / "debian")
    assert data.load_fashion_mnist(download=no_download).source == str(places / "keras-cache")


def test_keras_download_is_the_last_resort(places: Path) -> None:
    real = data.read_folder(DEBIAN_DIR)
    downloaded = data.FashionMnist(real.train, real.test, "downloaded")
    assert data.load_fashion_mnist(download=lambda: downloaded).source == "downloaded"


def test_nothing_anywhere_names_every_place_and_how_to_fill_it(places: Path) -> None:
    with pytest.raises(finder.DataUnavailable) as raised:
        data.load_fashion_mnist(download=no_download)
    text = str(raised.value)
    assert isinstance(raised.value, GraderFault)
    assert "$GRADER_DATA_DIR: not set" in text
    assert str(places / "keras-cache") in text and "fashion_mnist.load_data()" in text
    assert "apt-get install dataset-fashion-mnist" in text
    assert "Keras' download: OSError: no network in this test" in text


def test_a_truncated_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = copy_of_the_data(tmp_path / "mine")
    labels = folder / "train-labels-idx1-ubyte.gz"
    labels.write_bytes(labels.read_bytes()[:-1000])
    monkeypatch.setenv(data.DATA_DIR_VARIABLE, str(folder))
    with pytest.raises(
        finder.DataCorrupt, match=r"train-labels-idx1-ubyte\.gz is damaged or cut short"
    ):
        data.load_fashion_mnist(download=no_download)


def test_other_content_fails_the_hash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = copy_of_the_data(tmp_path / "mine")
    labels = folder / "t10k-labels-idx1-ubyte.gz"
    raw = bytearray(gzip.decompress(labels.read_bytes()))
    raw[-1] = (raw[-1] + 1) % 10  # one label changed: still a valid IDX file
    labels.write_bytes(gzip.compress(bytes(raw)))
    monkeypatch.setenv(data.DATA_DIR_VARIABLE, str(folder))
    with pytest.raises(finder.DataCorrupt, match=r"t10k-labels-idx1-ubyte\.gz does not hold"):
        data.load_fashion_mnist(download=no_download)


def test_a_missing_file_moves_on_to_the_next_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = copy_of_the_data(tmp_path / "mine")
    (folder / "t10k-images-idx3-ubyte.gz").unlink()
    monkeypatch.setenv(data.DATA_DIR_VARIABLE, str(folder))
    assert data.load_fashion_mnist(download=no_download).source == str(DEBIAN_DIR)


def test_a_shipped_file_is_checked_against_its_checksum(tmp_path: Path) -> None:
    shipped = tmp_path / "base.keras"
    shipped.write_bytes(b"weights")
    good = finder.sha256_of(b"weights")
    assert finder.shipped_file(shipped, good, "python -m grader build-base") == b"weights"
    shipped.write_bytes(b"tampered")
    with pytest.raises(finder.DataCorrupt, match="python -m grader build-base"):
        finder.shipped_file(shipped, good, "python -m grader build-base")
    with pytest.raises(finder.DataUnavailable, match="missing from the package"):
        finder.shipped_file(tmp_path / "gone.keras", good, "python -m grader build-base")
