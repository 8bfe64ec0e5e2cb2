"""Course data, each dataset described once.

``finder`` looks for files in a list of places (checking SHA-256) before any
download and names every place it tried when all fail; ``fashion`` describes
Fashion-MNIST with it. Data the package generates with a seed (a time series,
text corpora) and files it ships with a checksum live beside them. Learners'
own runs use the same public functions as the grader.
"""

from grader.datasets import songs
from grader.datasets.fashion import FashionMnist, Split, fashion_mnist
from grader.datasets.finder import DataCorrupt, DataUnavailable, shipped_file
from grader.datasets.folders import ImageFolders, write_image_folders

__all__ = [
    "DataCorrupt",
    "DataUnavailable",
    "FashionMnist",
    "ImageFolders",
    "Split",
    "fashion_mnist",
    "shipped_file",
    "songs",
    "write_image_folders",
]
