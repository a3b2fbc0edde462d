"""Builds each addon's README.rst and static/description/index.html (the Apps page) from its readme/
fragments, as OCA's oca-gen-addon-readme does: DESCRIPTION, CONFIGURE and USAGE (each when present) and
CONTRIBUTORS, in
Markdown limited to what reads the same in reStructuredText (paragraphs, lists, *emphasis*), plus
`code` spans, which become ``code``.

    python scripts/gen_addon_readme.py           writes both files
    python scripts/gen_addon_readme.py --check   changes nothing; exits 1 when either is out of date
"""

import ast
import re
import sys
import unicodedata
from pathlib import Path

from docutils.core import publish_string

REPO = Path(__file__).resolve().parent.parent
ADDONS = [REPO / "jingpin_accessories", REPO / "jingpin_accessories_demo"]
SECTIONS = [("CONFIGURE", "Configuration"), ("USAGE", "Usage")]


def rst(markdown):
    return re.sub(r"(?<!`)`([^`]+)`(?!`)", r"``\1``", markdown.strip())


def heading(text, char, overline=False):
    """A title whose rules are as wide as the text is on screen (a Chinese character takes two columns)."""
    rule = char * sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return f"{rule}\n{text}\n{rule}\n" if overline else f"{text}\n{rule}\n"


def build(addon):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
    fragments = addon / "readme"
    parts = [
        heading(manifest["name"], "=", overline=True),
        rst((fragments / "DESCRIPTION.md").read_text()) + "\n",
        "**Table of contents**\n\n.. contents::\n   :local:\n",
    ]
    for name, title in SECTIONS:
        if not (fragments / f"{name}.md").exists():
            continue
        parts.append(heading(title, "=") + "\n" + rst((fragments / f"{name}.md").read_text()) + "\n")
    contributors = rst((fragments / "CONTRIBUTORS.md").read_text())
    parts.append(heading("Credits", "=") + "\n" + heading("Contributors", "-") + "\n" + contributors + "\n")
    readme = "\n".join(parts)
    settings = {"output_encoding": "unicode", "stylesheet_path": "", "embed_stylesheet": False}
    html = publish_string(readme, writer_name="html5", settings_overrides=settings)
    return {addon / "README.rst": readme, addon / "static" / "description" / "index.html": html}


def main():
    files = {path: text for addon in ADDONS for path, text in build(addon).items()}
    stale = [path for path, text in files.items() if not path.exists() or path.read_text() != text]
    if "--check" in sys.argv[1:]:
        for path in stale:
            print(f"{path.relative_to(REPO)} is out of date: run python scripts/gen_addon_readme.py")
        return 1 if stale else 0
    for path, text in files.items():
        path.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
