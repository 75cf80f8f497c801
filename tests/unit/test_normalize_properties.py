"""Property tests: normalize_text never raises and is idempotent, whatever the input."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stages.text.normalize import NormalizeConfig, normalize_text

CHINESE_ISH = st.text(
    alphabet=st.sampled_from(
        list("新河縣政協换届以來县政协李中國的了是")
        + list(",，.。(（)）:：;；?？!！「」『』“”、 \u3000\n\t\u200b\ufeff")
        + list("0123456789０１２ABCabcｘxiéǎü")
        + ["\ud800", "\x00", "\ufffd", "ぴ", "ь"]
    ),
    max_size=80,
)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.text(max_size=200))
def test_arbitrary_text_never_raises_and_is_idempotent(text):
    once, flags = normalize_text(text)
    assert isinstance(flags, list)
    assert normalize_text(once)[0] == once
    once.encode("utf-8")  # no lone surrogate survives


@SETTINGS
@given(CHINESE_ISH)
def test_han_punctuation_digit_mixes_are_idempotent(text):
    once, _ = normalize_text(text)
    assert normalize_text(once)[0] == once
    assert "\u200b" not in once and "\x00" not in once


@SETTINGS
@given(CHINESE_ISH, st.sampled_from(["t2s", "tw2s", "hk2s"]))
def test_idempotent_under_every_config(text, opencc_config):
    config = NormalizeConfig(opencc_config=opencc_config)
    once, _ = normalize_text(text, config)
    assert normalize_text(once, config)[0] == once
