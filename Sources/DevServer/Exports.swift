@_exported import PBJSON
