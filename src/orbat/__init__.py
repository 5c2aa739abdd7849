"""orbat: an open-source order-of-battle tracker."""

__version__ = "0.1.0"
