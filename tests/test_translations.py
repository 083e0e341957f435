"""English, Norwegian Bokmål and Danish are complete: no user meets an untranslated string."""

from peerwork.core.translations import missing


def test_every_string_is_translated_and_compiled():
    problems = missing()
    assert not problems, "\n".join(problems[:60]) + (f"\n… and {len(problems) - 60} more" if len(problems) > 60 else "")
