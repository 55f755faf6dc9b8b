"""The CSVs inside a police.uk zip, read from one extraction of the members a load uses.

An archive is extracted in a thread of its own, member by member, the heaviest table's
members first (the order the loader writes them in), so the first inserts start while the
rest is still being inflated. A damaged member still means nothing from the archive is
loaded: the loader commits a unit's rows only once :meth:`ArchiveMember.wait_intact` says
the whole archive came out with every CRC checked. Only the members discovered as units are
extracted, each within the limits of :mod:`.zip_limits`, in blocks, with its sha256 and
lines counted as it is written: each member is decompressed once, read once more by DuckDB's
CSV reader, and never held in memory whole.
"""

from __future__ import annotations

import tempfile
import threading
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from peelstat.errors import IngestError, PeelstatError
from peelstat.sources.base import SourceFile, heaviest_first
from peelstat.sources.police_uk.zip_limits import check_member, copy_limited
from peelstat.sources.scratch import scratch_folder
from peelstat.warehouse.disk_space import disk_full, is_disk_full


class ExtractedArchive:
    """The zips being loaded, each extracted once to a temporary folder with every CRC checked.

    Each member is decompressed once rather than once for the checksum and again for
    parsing, and a corrupt or truncated zip is known before any of it is committed. Three archives
    are kept: the one the loader's group writers may still be finishing, the one being
    loaded, and the next, which the loader reads ahead in a background thread (see
    :class:`peelstat.warehouse.writers.DigestsAhead`).
    """

    KEEP = 3

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # by archive path, size and modification time (a zip downloaded again is new), least
        # recently used first
        self._archives: dict[tuple[Path, int, int], _Extraction] = {}
        # every extraction this load started, kept after its files are removed for its verdict
        self._started: dict[tuple[Path, int, int], _Extraction] = {}
        self._wanted: dict[Path, dict[str, str]] = {}

    def want(self, archive: Path, members: dict[str, str]) -> None:
        """Members of ``archive`` a load will read, each with the table it goes to: the only
        ones extracted, the table with the most bytes first."""
        with self._lock:
            self._wanted.setdefault(archive.resolve(), {}).update(members)

    def path_of(self, archive: Path, member: str) -> Path:
        return self._extraction(archive).path_of(member)

    def facts_of(self, archive: Path, member: str) -> dict[str, object]:
        """The member's sha256 and line counts, worked out while it was extracted."""
        extraction = self._extraction(archive)
        extraction.path_of(member)  # raises the archive's error, if any
        return dict(extraction.facts[member])

    def wait_intact(self, archive: Path) -> None:
        """Once the whole archive is extracted: raise its error, if it had one. Asked by the
        group writers, so it leaves the order archives are removed in alone."""
        with self._lock:
            extraction = self._started.get(self._key(archive))
        (extraction or self._extraction(archive)).wait_intact()

    @staticmethod
    def _key(archive: Path) -> tuple[Path, int, int]:
        stat = archive.stat()
        return (archive.resolve(), stat.st_size, stat.st_mtime_ns)

    def _extraction(self, archive: Path) -> _Extraction:
        key = self._key(archive)
        with self._lock:
            extraction = self._archives.pop(key, None)
            first = extraction is None
            if extraction is None:
                extraction = _Extraction(archive, self._wanted.get(key[0], {}))
                self._started[key] = extraction
            self._archives[key] = extraction
            while len(self._archives) > self.KEEP:
                self._archives.pop(next(iter(self._archives))).cleanup()
        if first:
            extraction.start()
        return extraction

    def close(self) -> None:
        with self._lock:
            for extraction in self._archives.values():
                extraction.cleanup()
            self._archives, self._started = {}, {}


class _Extraction:
    """One archive's extraction, in a thread; a member can be read as soon as it is out."""

    def __init__(self, archive: Path, wanted: dict[str, str]) -> None:
        self.archive, self.wanted = archive, dict(wanted)
        self.done = threading.Event()
        self.extracted = threading.Condition()  # notified after each member
        self.stopping = False
        self.folder: tempfile.TemporaryDirectory[str] | None = None
        self.paths: dict[str, Path] = {}
        self.facts: dict[str, dict[str, object]] = {}
        self.error: Exception | None = None

    def start(self) -> None:
        self.folder = scratch_folder("police-uk")
        threading.Thread(target=self.run, name="peelstat-unzip").start()

    def run(self) -> None:
        assert self.folder is not None
        folder = Path(self.folder.name)
        member = "(central directory)"
        try:
            with zipfile.ZipFile(self.archive) as zipped:
                chosen = [i for i in zipped.infolist() if i.filename in self.wanted]
                for info in chosen:
                    check_member(info, str(self.archive))
                in_order = heaviest_first(chosen, self._table, lambda i: i.file_size)
                for number, info in enumerate(in_order):
                    if self.stopping:
                        raise IngestError(file=str(self.archive), problem="extraction stopped")
                    member = info.filename
                    target = folder / f"{number}.csv"
                    with zipped.open(info) as src, target.open("wb") as dst:
                        facts = copy_limited(src, dst, info, str(self.archive))
                    with self.extracted:
                        self.paths[info.filename], self.facts[info.filename] = target, facts
                        self.extracted.notify_all()
        except IngestError as error:
            self.error = error
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
            self.error = self._failure(error, member, folder)
            self.error.__cause__ = error
        except Exception as error:  # e.g. a limit set to nonsense: raised where a member is read
            self.error = error
        finally:
            with self.extracted:
                self.done.set()
                self.extracted.notify_all()

    def _table(self, info: zipfile.ZipInfo) -> str:
        return self.wanted[info.filename]

    def _failure(self, error: BaseException, member: str, folder: Path) -> PeelstatError:
        """A full temporary disk is not a corrupt zip: say which disk and how much is needed."""
        if is_disk_full(error):
            with zipfile.ZipFile(self.archive) as zipped:
                needed = sum(info.file_size for info in zipped.infolist())
            advice = (
                f"Extracting {self.archive.name} filled it; nothing from the archive was "
                "loaded. Free space there, or set TMPDIR to a folder on a disk with room, "
                "and run the same command again."
            )
            return disk_full("the temporary folder", folder.parent, needed, advice)
        return IngestError(
            file=str(self.archive),
            problem=f"corrupt or truncated zip archive (member {member}: {error}); "
            "nothing from it was loaded — download it again",
        )

    def path_of(self, member: str) -> Path:
        """The member's extracted file, once it is out; the archive's error once it has one
        (its files are kept until the load ends, so a reader that already has one can finish)."""
        with self.extracted:
            self.extracted.wait_for(lambda: member in self.paths or self.done.is_set())
        if self.error is not None:
            raise self.error
        if member not in self.paths:  # a member not announced with ``want``
            raise IngestError(file=str(self.archive), problem=f"member {member} was not extracted")
        return self.paths[member]

    def wait_intact(self) -> None:
        self.done.wait()
        if self.error is not None:
            raise self.error

    def cleanup(self) -> None:
        """Stop after the member being extracted, then remove the files."""
        self.stopping = True
        if self.folder is not None:
            self.done.wait()
            self.folder.cleanup()
        self.folder, self.paths, self.facts = None, {}, {}


@dataclass(frozen=True)
class ArchiveMember(SourceFile):
    """A CSV inside a police.uk zip, read from the archive's one-off extraction."""

    extracted: ExtractedArchive | None = field(default=None, compare=False, repr=False)

    def _local(self) -> Path:
        assert self.extracted is not None and self.member is not None
        return self.extracted.path_of(self.path, self.member)

    def read_bytes(self) -> bytes:
        return self._local().read_bytes()

    def wait_intact(self) -> None:
        assert self.extracted is not None
        self.extracted.wait_intact(self.path)

    def sha256(self) -> str:
        """From the extraction, which counted while it wrote: no second pass over the member."""
        if "sha256" not in self.facts:
            assert self.extracted is not None and self.member is not None
            self.facts.update(self.extracted.facts_of(self.path, self.member))
        return str(self.facts["sha256"])

    @contextmanager
    def local_file(self) -> Iterator[Path]:
        yield self._local()
