"""Converters from published model formats to TorchScript (one module per manifest "format").

Each module exposes convert(manifest: dict, package_dir: pathlib.Path, out_path: pathlib.Path) -> None and a
CONVERTER_REVISION; reference.py holds the contract's pattern inputs and the parity check they share.
"""
