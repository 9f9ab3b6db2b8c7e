"""The directory tests' names for the shared Welsh test data (a plain module: the folder is not a package)."""

from helpers import CARDIFF, POPOLO, WALES, popolo_validators

__all__ = ["CARDIFF", "POPOLO", "WALES", "popolo_validators"]
