"""Fashion-MNIST written as folders of PNG images, for lesson 4 (images from folders).

The course's lesson 4 loads photos of cats and dogs from folders, one folder per
class. Those photos cannot be downloaded here, so the same lesson runs on two
confusable Fashion-MNIST classes, Shirt and T-shirt/top, with the course's
sizes::

    ROOT/train/shirt/*.png        1,000 images     ROOT/validation/shirt/*.png        500
    ROOT/train/tshirt_top/*.png   1,000 images     ROOT/validation/tshirt_top/*.png   500

drawn with a fixed seed from Fashion-MNIST's *training* set and encoded as 8-bit
grey PNG files by Pillow. ``image_dataset_from_directory`` labels the class
folders in alphabetical order: shirt = 0, tshirt_top = 1. The test images of
the two classes (``heldout_split``) come from Fashion-MNIST's test set and are
never written.

``write_image_folders(root)`` writes the folders once; a later call finds them
by their manifest and checks every file against the content digest recorded
there, so they are reused until something changed. The grader keeps one copy in
its cache (``cached_image_folders``) and copies it where the learner's process
can read it (``copy_image_folders``).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from grader.datasets.fashion import FashionMnist, Split, fashion_mnist

CLASS_NAMES = ("shirt", "tshirt_top")
"""The class folders, in the order ``image_dataset_from_directory`` numbers them."""
FASHION_IDS = (6, 0)
"""Each class's id in Fashion-MNIST (Shirt is 6, T-shirt/top is 0)."""
SPLITS = {"train": 1000, "validation": 500}
"""Images per class in each split folder."""
SEED = 2019
"""Which training images are drawn."""
LAYOUT = 1
"""The version of this layout; a change rewrites every copy."""
MANIFEST = "fashion-folders.json"
CACHE_NAME = "fashion-folders"


@dataclass(frozen=True)
class ImageFolders:
    """Where the folders are, and what is in them."""

    root: Path
    """The folder holding ``train/`` and ``validation/``."""
    digest: str
    """SHA-256 over every image file's path and bytes."""
    reused: bool
    """Whether the files were already there (nothing was written)."""

    @property
    def train(self) -> Path:
        return self.root / "train"

    @property
    def validation(self) -> Path:
        return self.root / "validation"


def _drawn(fashion: FashionMnist) -> dict[str, list[np.ndarray]]:
    """Per split, per class (in ``CLASS_NAMES`` order), the training-set indices drawn."""
    rng = np.random.default_rng(SEED)
    per_class = sum(SPLITS.values())
    drawn: dict[str, list[np.ndarray]] = {split: [] for split in SPLITS}
    for fashion_id in FASHION_IDS:
        chosen = rng.permutation(np.flatnonzero(fashion.train.labels == fashion_id))[:per_class]
        start = 0
        for split, count in SPLITS.items():
            drawn[split].append(np.sort(chosen[start : start + count]))
            start += count
    return drawn


def _files(fashion: FashionMnist) -> list[tuple[str, np.ndarray]]:
    """Every image file to write, as (path relative to the root, 28×28 uint8 image), sorted."""
    files = []
    for split, classes in _drawn(fashion).items():
        for name, indices in zip(CLASS_NAMES, classes, strict=True):
            for index in indices:
                path = f"{split}/{name}/fashion-train-{int(index):05d}.png"
                files.append((path, fashion.train.images[index, :, :, 0]))
    return sorted(files, key=lambda item: item[0])


def folder_split(split: str, fashion: FashionMnist | None = None) -> Split:
    """The images of one split folder with their 0/1 labels, in the order of the files
    (class folders alphabetically, then file names), as ``shuffle=False`` reads them."""
    fashion = fashion or fashion_mnist()
    files = [(path, image) for path, image in _files(fashion) if path.startswith(f"{split}/")]
    labels = [CLASS_NAMES.index(path.split("/")[1]) for path, _ in files]
    images = np.stack([image for _, image in files])[..., np.newaxis]
    return Split(images, np.array(labels, dtype=np.uint8))


def heldout_split(fashion: FashionMnist | None = None) -> Split:
    """Fashion-MNIST's test images of the two classes (2,000), labels shirt 0, tshirt_top 1."""
    fashion = fashion or fashion_mnist()
    keep = np.isin(fashion.test.labels, FASHION_IDS)
    labels = (fashion.test.labels[keep] == FASHION_IDS[1]).astype(np.uint8)
    return Split(fashion.test.images[keep], labels)


def _source_key(files: list[tuple[str, np.ndarray]]) -> str:
    """What the folders must hold: the layout and every image's path and pixels."""
    digest = hashlib.sha256(f"layout {LAYOUT}\n".encode())
    for path, image in files:
        digest.update(path.encode() + b"\0" + image.tobytes())
    return digest.hexdigest()


def _walk(root: Path) -> Iterator[Path]:
    for split in SPLITS:
        folder = root / split
        if folder.is_dir():
            yield from sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def content_digest(root: Path) -> str:
    """SHA-256 over the path and bytes of every file under ``root/train`` and
    ``root/validation`` (a missing, extra or changed file changes it)."""
    digest = hashlib.sha256()
    for path in _walk(root):
        relative = path.relative_to(root).as_posix()
        content = b"<link>" if path.is_symlink() else path.read_bytes()
        digest.update(relative.encode() + b"\0" + hashlib.sha256(content).digest())
    return digest.hexdigest()


def _reusable(root: Path, key: str) -> str | None:
    """The folders' digest when ``root`` already holds them unchanged, else ``None``."""
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("source") != key:
        return None
    digest = content_digest(root)
    return digest if manifest.get("content") == digest else None


def _png(image: np.ndarray) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(image, dtype=np.uint8), mode="L").save(buffer, "PNG")
    return buffer.getvalue()


def _write(root: Path, files: list[tuple[str, np.ndarray]], key: str) -> str:
    (root / MANIFEST).unlink(missing_ok=True)
    for split in SPLITS:
        shutil.rmtree(root / split, ignore_errors=True)
    for name in {str(Path(path).parent) for path, _ in files}:
        (root / name).mkdir(parents=True, exist_ok=True)
    for path, image in files:
        (root / path).write_bytes(_png(image))
    digest = content_digest(root)
    manifest = {"layout": LAYOUT, "source": key, "content": digest, "classes": CLASS_NAMES}
    temporary = root / f".{MANIFEST}.{os.getpid()}"
    temporary.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    temporary.replace(root / MANIFEST)
    return digest


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    """One writer at a time per folder (grading runs in parallel share the cache)."""
    try:
        import fcntl
    except ImportError:  # Windows: a learner's own folder, one writer
        yield
        return
    with open(root / f".{MANIFEST}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def write_image_folders(
    root: str | os.PathLike[str], fashion: FashionMnist | None = None
) -> ImageFolders:
    """Write ``root/train/<class>/*.png`` and ``root/validation/<class>/*.png`` (see the
    module's docstring), or reuse them when ``root`` already holds them unchanged.

    Returns an ``ImageFolders``. Only ``train/``, ``validation/`` and the manifest in
    ``root`` are written; nothing else there is touched.
    """
    root = Path(root).expanduser().resolve()
    fashion = fashion or fashion_mnist()
    files = _files(fashion)
    key = _source_key(files)
    root.mkdir(parents=True, exist_ok=True)
    with _locked(root):
        digest = _reusable(root, key)
        if digest is not None:
            return ImageFolders(root, digest, reused=True)
        return ImageFolders(root, _write(root, files, key), reused=False)


def cache_folder() -> Path:
    """Where the grader keeps its copy: ``$XDG_CACHE_HOME/tf-course-grader/fashion-folders``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tf-course-grader" / CACHE_NAME


def cached_image_folders(fashion: FashionMnist | None = None) -> ImageFolders:
    """The folders in the grader's cache, written the first time."""
    return write_image_folders(cache_folder(), fashion)


def copy_image_folders(folders: ImageFolders, destination: Path) -> Path:
    """Copy ``train/`` and ``validation/`` into ``destination`` (a folder another process
    can read, e.g. the learner's own) and return it."""
    for split in SPLITS:
        target = destination / split
        if not target.is_dir():
            shutil.copytree(folders.root / split, target)
    return destination
