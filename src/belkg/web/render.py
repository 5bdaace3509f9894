"""Pages as HTML: Jinja2 templates shipped in the package, every value escaped."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

from belkg import __version__
from belkg.web.links import Linker
from belkg.web.pages import Page


class Renderer:
    """Renders pages for the server (absolute links) or a static site (relative ones)."""

    def __init__(self, *, static: bool = False) -> None:
        self.static = static
        self.env = Environment(
            loader=PackageLoader("belkg.web", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=False,
        )

    def warm(self) -> None:
        """Compile every template now, once (a server renders in child processes, which
        would otherwise compile them again for every page)."""
        for name in self.env.list_templates(extensions=["html"]):
            self.env.get_template(name)

    def linker(self, here: str) -> Linker:
        return Linker(here, static=self.static)

    def render(self, page: Page, here: str) -> str:
        template = self.env.get_template(page.template)
        values = {"title": page.title, "L": self.linker(here), "static": self.static, "version": __version__}
        return template.render({**page.values, **values})

    def error(self, message: str, title: str, here: str = "") -> str:
        return self.render(Page("error.html", title, {"message": message}), here)
