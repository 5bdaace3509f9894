"""Find a belkg project folder and name the files in it."""

from __future__ import annotations

import os
from pathlib import Path

from belkg.errors import BelkgError
from belkg.records import NamedTuple

ENTITIES_FILE = "entities.ttl"
IDENTITIES_FILE = "identities.ttl"
SKIP_LIST_FILE = "coverage-skip.txt"


class Project(NamedTuple):
    """A folder holding ontology/, kg/, seeds/ and queries/."""

    root: Path

    @property
    def ontology_file(self) -> Path:
        return self.root / "ontology" / "belkg.ttl"

    @property
    def shapes_file(self) -> Path:
        return self.root / "ontology" / "shapes.ttl"

    @property
    def cues_file(self) -> Path:
        return self.root / "ontology" / "cues.txt"

    @property
    def rules_dir(self) -> Path:
        return self.root / "ontology" / "rules"

    @property
    def kg_dir(self) -> Path:
        return self.root / "kg"

    @property
    def seeds_dir(self) -> Path:
        return self.root / "seeds"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def entities_file(self) -> Path:
        return self.kg_dir / ENTITIES_FILE

    @property
    def identities_file(self) -> Path:
        """The mapping's identity judgements: which mentions in different documents are one thing."""
        return self.kg_dir / IDENTITIES_FILE

    @property
    def skip_list_file(self) -> Path:
        return self.kg_dir / SKIP_LIST_FILE

    def document_files(self) -> list[Path]:
        """The per-seed claim files: every kg/*.ttl but the register."""
        return sorted(
            (
                path
                for path in self.kg_dir.glob("*.ttl")
                if path.name not in (ENTITIES_FILE, IDENTITIES_FILE) and not path.name.startswith(("_", "."))
            ),
            key=_name,
        )

    def seed_files(self) -> list[Path]:
        return sorted(self.seeds_dir.glob("*.txt"), key=_name)

    def rule_files(self) -> list[Path]:
        return sorted(self.rules_dir.glob("*.rq"), key=_name) if self.rules_dir.is_dir() else []

    def input_files(self) -> list[Path]:
        """Every file whose content decides the build's result."""
        files = [self.ontology_file, self.shapes_file, self.entities_file]
        for optional in (self.cues_file, self.identities_file):
            if optional.exists():
                files.append(optional)
        files += self.rule_files() + self.document_files() + self.seed_files()
        if self.skip_list_file.exists():
            files.append(self.skip_list_file)
        return files

    def relative(self, path: Path) -> str:
        """A path as the user should see it: relative to the project when inside it."""
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)


def _name(path: Path) -> str:
    """The sort key of the files of one folder: the order of the paths, without comparing
    Path objects (a project of thousands of documents sorts in a fraction of the time)."""
    return path.name


def is_project(folder: Path) -> bool:
    return (folder / "kg").is_dir() and (folder / "ontology").is_dir()


def packaged_project() -> Project | None:
    """The copy of the graph shipped inside the installed package, if there is one."""
    from importlib import resources

    data = Path(str(resources.files("belkg") / "data"))
    return Project(data) if is_project(data) else None


def find_project(explicit: str | os.PathLike[str] | None = None, start: Path | None = None) -> Project:
    """The project named by --project, else the nearest one upward from the current
    folder, else the copy shipped in the package."""
    if explicit is not None:
        folder = Path(explicit).resolve()
        if not is_project(folder):
            raise BelkgError("not a belkg project (it needs kg/ and ontology/ folders)", str(explicit))
        return Project(folder)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_project(folder):
            return Project(folder)
    shipped = packaged_project()
    if shipped is None:
        raise BelkgError("no belkg project here or above, and no graph shipped with the package; use --project DIR")
    return shipped
