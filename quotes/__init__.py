"""quotes: quote attribution for French and English news.

    from quotes import Extractor, extract
    records = extract("« Nous ne céderons pas », a déclaré la ministre Anne Roy.")
"""
from .extractor import Document, ExtractionError, Extractor, Result, extract
from .lexicon import SUPPORTED_LANGUAGES, UnsupportedLanguage
from .records import Cue, DocumentRecord, ErrorRecord, QuoteKind, QuoteRecord, Span, Speaker, SpeakerType

__all__ = [
    "Extractor", "extract", "Document", "Result", "ExtractionError", "UnsupportedLanguage",
    "SUPPORTED_LANGUAGES", "QuoteRecord", "ErrorRecord", "DocumentRecord", "Span", "Cue", "Speaker",
    "SpeakerType", "QuoteKind",
]
__version__ = "0.1.0"
