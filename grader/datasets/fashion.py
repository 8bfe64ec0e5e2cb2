"""Fashion-MNIST, found on this machine before anything is downloaded.

Fashion-MNIST is looked for, in order, in ``$GRADER_DATA_DIR``, the Keras cache
(``~/.keras/datasets/fashion-mnist``) and the Debian package
``dataset-fashion-mnist`` (``/usr/share/datasets/fashion-mnist``); only when
none of them holds the files does Keras download them.  The IDX files are read
with numpy alone, so the scoring process does not start TensorFlow for them.

A missing or damaged dataset is the grader's problem, not the learner's: the
error raised is a ``GraderFault`` (``finder``), which makes the run's status ``error``.
"""

from __future__ import annotations

import functools
import gzip
import os
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from grader.datasets.finder import DataCorrupt, Place, find, sha256_of

DATA_DIR_VARIABLE = "GRADER_DATA_DIR"
KERAS_CACHE = Path("~/.keras/datasets/fashion-mnist")
DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")
DEBIAN_PACKAGE = "dataset-fashion-mnist"


@dataclass(frozen=True)
class IdxFile:
    """One gzipped IDX file of a dataset, and what its content must be."""

    name: str
    """File name, e.g. ``train-images-idx3-ubyte.gz``."""
    shape: tuple[int, ...]
    """Shape of the array it holds."""
    sha256: str
    """SHA-256 of the uncompressed content (the same whichever gzip made the file)."""


FASHION_MNIST_FILES = (
    IdxFile(
        "train-images-idx3-ubyte.gz",
        (60000, 28, 28),
        "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    ),
    IdxFile(
        "train-labels-idx1-ubyte.gz",
        (60000,),
        "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    ),
    IdxFile(
        "t10k-images-idx3-ubyte.gz",
        (10000, 28, 28),
        "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    ),
    IdxFile(
        "t10k-labels-idx1-ubyte.gz",
        (10000,),
        "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    ),
)


@dataclass(frozen=True)
class Split:
    """Images and labels of one part of a dataset."""

    images: np.ndarray
    """uint8, shape (N, 28, 28, 1)."""
    labels: np.ndarray
    """Class ids, uint8, shape (N,)."""


@dataclass(frozen=True)
class FashionMnist:
    """The 60,000 training and 10,000 test examples, and where they came from."""

    train: Split
    """The training examples."""
    test: Split
    """The test examples (their labels never leave the scoring process)."""
    source: str
    """Where the files were found."""


def read_idx(path: Path, expected: IdxFile) -> np.ndarray:
    """The array in one gzipped IDX file, checked against ``expected``; ``DataCorrupt`` if not."""
    try:
        raw = gzip.decompress(path.read_bytes())
    except (OSError, EOFError, zlib.error) as exc:
        raise DataCorrupt(
            f"{path} is damaged or cut short ({exc}); delete it and fetch it again"
        ) from exc
    digest = sha256_of(raw)
    if digest != expected.sha256:
        raise DataCorrupt(
            f"{path} does not hold the expected data (SHA-256 of its content is {digest}, "
            f"expected {expected.sha256}); delete it and fetch it again"
        )
    dims = len(expected.shape)
    header = struct.Struct(f">HBB{dims}I")
    _, dtype_code, ndim, *shape = header.unpack_from(raw)
    if dtype_code != 0x08 or ndim != dims or tuple(shape) != expected.shape:
        raise DataCorrupt(f"{path} is not an IDX file of shape {expected.shape}")
    return np.frombuffer(raw, dtype=np.uint8, offset=header.size).reshape(expected.shape)


def read_folder(folder: Path) -> FashionMnist:
    """Fashion-MNIST from the four files in ``folder``; ``FileNotFoundError`` if one is missing."""
    missing = [f.name for f in FASHION_MNIST_FILES if not (folder / f.name).is_file()]
    if missing:
        raise FileNotFoundError(f"{folder} has no {', '.join(missing)}")
    arrays = [read_idx(folder / f.name, f) for f in FASHION_MNIST_FILES]
    train_images, train_labels, test_images, test_labels = arrays
    return FashionMnist(
        Split(train_images[..., np.newaxis], train_labels),
        Split(test_images[..., np.newaxis], test_labels),
        str(folder),
    )


def download_with_keras() -> FashionMnist:
    """Keras' own download (starts TensorFlow; the last resort)."""
    from keras.datasets import fashion_mnist

    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    return FashionMnist(
        Split(np.asarray(x_train, np.uint8)[..., np.newaxis], np.asarray(y_train, np.uint8)),
        Split(np.asarray(x_test, np.uint8)[..., np.newaxis], np.asarray(y_test, np.uint8)),
        "downloaded by keras.datasets.fashion_mnist",
    )


def places() -> list[Place]:
    """Where to look, in order, each with how to get the files there."""
    variable = os.environ.get(DATA_DIR_VARIABLE)
    return [
        Place(
            f"${DATA_DIR_VARIABLE}",
            Path(variable).expanduser() if variable else None,
            f"set {DATA_DIR_VARIABLE} to a folder holding the four *-ubyte.gz files",
        ),
        Place(
            "the Keras cache",
            KERAS_CACHE.expanduser(),
            "python -c 'import keras; keras.datasets.fashion_mnist.load_data()' fills it",
        ),
        Place(
            f"the Debian package {DEBIAN_PACKAGE}",
            DEBIAN_DIR,
            f"sudo apt-get install {DEBIAN_PACKAGE}",
        ),
    ]


def load_fashion_mnist(download: Callable[[], FashionMnist] = download_with_keras) -> FashionMnist:
    """Fashion-MNIST from the first place that has it, else Keras' download.

    Raises ``DataCorrupt`` for a damaged file (it is not skipped silently) and
    ``DataUnavailable``, naming every place and how to fill it, when all fail.
    """
    return find("Fashion-MNIST", places(), read_folder, download, "Keras' download")


def fashion_mnist() -> FashionMnist:
    """Fashion-MNIST, loaded once per process (again if ``$GRADER_DATA_DIR`` changes)."""
    return _cached(os.environ.get(DATA_DIR_VARIABLE))


@functools.lru_cache(maxsize=1)
def _cached(data_dir: str | None) -> FashionMnist:
    return load_fashion_mnist()
