"""Compile forms/*.ui into shequ_desktop/ui/generated/ui_<name>.py with pyside6-uic.

``python -m shequ_desktop.ui.build_forms``          regenerate every module
``python -m shequ_desktop.ui.build_forms --check``  exit 1 if a committed module is stale (CI)
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
FORMS = ROOT / "forms"
GENERATED = Path(__file__).resolve().parent / "generated"


def uic_executable() -> str:
    """The pyside6-uic next to this interpreter (the venv's), else the one on PATH."""
    local = Path(sys.executable).with_name("pyside6-uic")
    if local.exists():
        return str(local)
    found = shutil.which("pyside6-uic")
    if found is None:
        raise SystemExit("pyside6-uic not found; install PySide6-Essentials in this environment")
    return found


def compile_form(ui_file: Path) -> str:
    """The generated Python source; run from forms/ so the header names only the file."""
    result = subprocess.run([uic_executable(), "--from-imports", ui_file.name], cwd=ui_file.parent,
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"pyside6-uic failed on {ui_file.name}:\n{result.stderr}")
    return result.stdout


def target_for(ui_file: Path) -> Path:
    return GENERATED / f"ui_{ui_file.stem}.py"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if anything is stale")
    args = parser.parse_args(argv)
    stale: list[str] = []
    GENERATED.mkdir(exist_ok=True)
    (GENERATED / "__init__.py").touch()
    for ui_file in sorted(FORMS.glob("*.ui")):
        source = compile_form(ui_file)
        target = target_for(ui_file)
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == source:
            continue
        if args.check:
            stale.append(target.name)
        else:
            target.write_text(source, encoding="utf-8")
            print(f"wrote {target.relative_to(ROOT)}")
    if stale:
        print("stale generated forms (run python -m shequ_desktop.ui.build_forms): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
