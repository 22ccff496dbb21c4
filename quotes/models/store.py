"""Where the stanza models are: the compact ones shipped inside the package (default), or
stanza's official ones in stanza's resources folder (``--models official``), downloaded only
when the user asks (``quotes models download``). Nothing here touches the network unless
``download_official`` is called."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..lexicon import SUPPORTED_LANGUAGES, UnsupportedLanguage

SHIPPED_DIR = Path(__file__).parent
PROCESSORS = ("tokenize", "mwt", "pos", "lemma", "depparse")
MODEL_SOURCES = ("shipped", "official")


class ModelError(RuntimeError):
    """A model is missing or unreadable; the message names the file and the fix."""


@dataclass
class ModelSet:
    lang: str
    source: str
    paths: dict[str, Path]
    manifest: dict

    @property
    def total_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.paths.values() if p.exists())


def _check_lang(lang: str) -> None:
    if lang not in SUPPORTED_LANGUAGES:
        raise UnsupportedLanguage(lang)


def shipped_models(lang: str, folder: Path | None = None) -> ModelSet:
    _check_lang(lang)
    folder = folder or SHIPPED_DIR / lang
    manifest_path = folder / "manifest.json"
    fix = f"reinstall quotes, or retrain: python -m quotes.models.train --lang {lang} --ud ../shared/ud"
    if not manifest_path.exists():
        raise ModelError(f"missing model manifest {manifest_path}; {fix}")
    try:
        manifest = json.loads(manifest_path.read_text("utf-8"))
    except ValueError as exc:
        raise ModelError(f"corrupt model manifest {manifest_path} ({exc}); {fix}") from None
    paths = {}
    for proc in PROCESSORS:
        entry = manifest.get("models", {}).get(proc)
        if entry is None:
            continue  # e.g. no mwt for a language without multi-word tokens
        path = folder / entry["file"]
        if not path.exists():
            raise ModelError(f"missing model file {path}; {fix}")
        paths[proc] = path
    return ModelSet(lang, "shipped", paths, manifest)


def official_dir() -> Path:
    from stanza.resources.common import DEFAULT_MODEL_DIR

    return Path(DEFAULT_MODEL_DIR)


def official_models(lang: str) -> ModelSet:
    _check_lang(lang)
    folder = official_dir() / lang
    if not (official_dir() / "resources.json").exists() or not folder.exists():
        raise ModelError(
            f"stanza's official {lang} models are not installed in {official_dir()}; "
            f"run: quotes models download --lang {lang} (needs network access)"
        )
    return ModelSet(lang, "official", {}, {"language": lang, "source": str(folder)})


def download_official(lang: str) -> Path:
    """Fetch stanza's official models (network needed): the only download quotes ever does."""
    _check_lang(lang)
    import stanza

    stanza.download(lang, processors=",".join(PROCESSORS), model_dir=str(official_dir()))
    return official_dir() / lang


def installed() -> list[ModelSet]:
    """Every model set that can be loaded now, shipped first."""
    found = []
    for lang in SUPPORTED_LANGUAGES:
        for loader in (shipped_models, official_models):
            try:
                found.append(loader(lang))
            except ModelError:
                pass
    return found
