"""Real triple stores for the tests, each started on a free port of 127.0.0.1 with a
throwaway database in a temporary folder, and stopped afterwards: the Oxigraph server
(PyPI oxigraph), OpenLink Virtuoso 7 (Debian virtuoso-opensource-7-bin) and Apache Jena
TDB2 (Debian libapache-jena-java, behind the small server in tests/jena/, as Debian
does not package Fuseki).

A store whose program is missing is skipped, unless BELKG_REQUIRE_STORES is set (as
.ci/run sets it): then it is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import free_port, running

HERE = Path(__file__).resolve().parent
REQUIRE = "BELKG_REQUIRE_STORES"
JAVA_DIR = Path("/usr/share/java")
# The jars Debian's Jena needs (libapache-jena-java and what it depends on).
JENA_JARS = (
    "jena-arq", "jena-base", "jena-cmds", "jena-core", "jena-dboe-base", "jena-dboe-index", "jena-dboe-storage",
    "jena-dboe-trans-data", "jena-dboe-transaction", "jena-iri", "jena-rdfconnection", "jena-tdb", "jena-tdb2",
    "commons-cli", "commons-codec", "commons-compress", "commons-csv", "commons-io", "commons-lang3",
    "dexx.collection", "guava", "gson", "httpclient", "httpcore", "jackson-core", "jackson-databind",
    "jackson-annotations", "jsonld-java", "jakarta.json-api", "protobuf", "slf4j-api", "slf4j-nop", "thrift",
    "titanium-json-ld",
)  # fmt: skip


@dataclass
class Store:
    """A running store: where to send queries, where to push graphs, and who may push."""

    name: str
    version: str
    query_url: str
    store_url: str
    user: str | None = None
    password: str | None = None
    folder: Path | None = None
    sql_port: int | None = None  # Virtuoso's, for isql-vt


def missing(what: str) -> None:
    """Skip a test for want of a store program, or fail if stores are required."""
    if os.environ.get(REQUIRE):
        pytest.fail(f"{what} is missing and {REQUIRE} is set; .ci/run installs it")
    pytest.skip(f"{what} is not installed")


@contextmanager
def _running(command: list[str], folder: Path, ready_url: str, seconds: float = 90) -> Iterator[None]:
    with running(command, folder / "store.log", ready_url, seconds, "the store", cwd=folder):
        yield


ASK = "?query=ASK%7B%7D"


@contextmanager
def oxigraph(folder: Path, query_seconds: float | None = None) -> Iterator[Store]:
    """The Oxigraph server; with `query_seconds`, it stops each query after that long
    (else a query its client gave up on runs on, and slows every later one)."""
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        missing("the oxigraph server (PyPI package oxigraph)")
    version = subprocess.run([found, "--version"], capture_output=True, text=True).stdout.strip()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [found, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    if query_seconds:
        command += ["--timeout-s", f"{query_seconds:g}"]
    with _running(command, folder, f"{base}/query{ASK}"):
        yield Store("oxigraph", version, f"{base}/query", f"{base}/store", folder=folder)


VIRTUOSO_INI = """\
[Database]
DatabaseFile = virtuoso.db
ErrorLogFile = virtuoso.log
LockFile = virtuoso.lck
TransactionFile = virtuoso.trx
xa_persistent_file = virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
ServerThreads = 10
CheckpointInterval = 0
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = .
ResultSetMaxRows = 1000000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = .
ServerThreads = 4
MaxClientConnections = 8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


def virtuoso_version() -> str:
    found = shutil.which("virtuoso-t")
    if found is None:
        missing("Virtuoso (Debian package virtuoso-opensource-7-bin)")
    text = subprocess.run([found, "-?"], capture_output=True, text=True)
    for line in (text.stdout + text.stderr).splitlines():
        if "Version" in line:
            return line.strip()
    return "Virtuoso"


@contextmanager
def virtuoso(folder: Path) -> Iterator[Store]:
    """Virtuoso with its own ini and database in `folder`, its SQL and HTTP ports free
    ones of 127.0.0.1; pushes go to the authenticated Graph Store endpoint as dba (the
    new database's password: this store is throwaway and private)."""
    version = virtuoso_version()
    sql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(sql_port=sql_port, http_port=http_port))
    base = f"http://127.0.0.1:{http_port}"
    with _running(["virtuoso-t", "-f", "-c", "virtuoso.ini"], folder, f"{base}/sparql{ASK}"):
        yield Store(
            "virtuoso", version, f"{base}/sparql", f"{base}/sparql-graph-crud-auth", "dba", "dba", folder, sql_port
        )


def jena_classpath(folder: Path) -> str:
    """Debian's Jena jars and what they need, and the message files of the XML Schema
    datatype code Jena 4.5 ships: Debian's jena-core renamed that code's package to
    `xerces` but left its messages under org/apache/jena/ext/xerces, so every command
    fails at start-up ("internal error") until they are found where the code looks."""
    core = JAVA_DIR / "jena-core.jar"
    if not core.exists() or shutil.which("java") is None:
        missing("Apache Jena (Debian package libapache-jena-java)")
    messages = folder / "jena-messages"
    prefix = "org/apache/jena/ext/xerces/"
    with zipfile.ZipFile(core) as jar:
        for name in jar.namelist():
            if name.startswith(prefix) and name.endswith(".properties"):
                target = messages / "xerces" / name[len(prefix) :]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    jars = [str(JAVA_DIR / f"{name}.jar") for name in JENA_JARS]
    absent = [jar for jar in jars if not Path(jar).exists()]
    if absent:
        missing(f"Jena's dependency {absent[0]}")
    return os.pathsep.join([*jars, str(messages)])


def jena_version() -> str:
    with zipfile.ZipFile(JAVA_DIR / "jena-core.jar") as jar:
        for line in jar.read("META-INF/maven/org.apache.jena/jena-core/pom.properties").decode().splitlines():
            if line.startswith("version="):
                return f"Jena TDB2 {line.split('=', 1)[1]}"
    return "Jena TDB2"


@contextmanager
def jena(folder: Path) -> Iterator[Store]:
    """A Jena TDB2 database in `folder` behind tests/jena/JenaServer.java (SPARQL
    Protocol at /belkg/sparql, Graph Store Protocol at /belkg/data, as Fuseki serves a
    dataset named belkg; union default graph)."""
    classpath = jena_classpath(folder)
    if shutil.which("javac") is None:
        missing("a Java compiler (Debian package default-jdk-headless), to run tests/jena/JenaServer.java")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = ["java", "-cp", classpath, str(HERE / "jena" / "JenaServer.java"), str(folder / "tdb2"), str(port)]
    with _running(command, folder, f"{base}/belkg/sparql{ASK}"):
        yield Store("jena", jena_version(), f"{base}/belkg/sparql", f"{base}/belkg/data", folder=folder)


STARTERS = {"oxigraph": oxigraph, "virtuoso": virtuoso, "jena": jena}
