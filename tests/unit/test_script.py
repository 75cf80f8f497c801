"""Script detection and conversion with the official OpenCC engine."""

import pytest

from stages.text.normalize import NormalizeConfig
from stages.text.script import converter, detect_script, to_simplified


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("新河縣政協換屆以來，在市政協的正確指導下", "traditional"),
        ("新河县政协换届以来，在市政协的正确指导下", "simplified"),
        ("這是一個測試，这是一个测试", "mixed"),
        ("中文", "simplified"),  # only shared characters: nothing to convert
        ("hello 123", "simplified"),
        ("", "simplified"),
    ],
)
def test_detect_script(text, script):
    assert detect_script(text) == script


def test_one_traditional_character_in_a_simplified_page_is_not_mixed():
    page = "梨树县政协坚持守正创新，紧扣经济社会发展工作大局，充分发挥人民政协的优势作用" * 3
    assert detect_script(page + "臺") == "simplified"


def test_official_engine_results():
    assert to_simplified("乾安縣") == "乾安县"
    assert to_simplified("什麼") == "什么"
    assert to_simplified("新河縣政協") == "新河县政协"


def test_regional_configs_are_selectable_and_vocabulary_is_never_rewritten():
    # tw2s converts characters only: 計程車 stays a word, not 出租车.
    assert to_simplified("計程車", "tw2s") == "计程车"
    assert to_simplified("香港", "hk2s") == "香港"
    with pytest.raises(ValueError):
        to_simplified("計程車", "tw2sp")
    with pytest.raises(ValueError):
        NormalizeConfig(opencc_config="tw2sp")


def test_converter_is_built_once_per_process():
    assert converter("t2s") is converter("t2s")


def test_a_worker_loads_every_converter_before_its_pool_forks(monkeypatch):
    # Given a process with no converter built yet (a worker's main process at start)
    import gc

    from stages.items import PageItem
    from stages.text.normalize import normalize_item
    from tasks import app

    converter.cache_clear()
    # When the worker's start-up hook runs
    app._load_dictionaries()
    gc.unfreeze()  # the hook freezes the collector for the fork; this process does not fork
    built = converter.cache_info().currsize
    # Then normalizing a Traditional item, the first work of a task,
    # builds no converter of its own (s2t takes ~45 ms to load)
    item = PageItem(position=0, kind="article", title="新河縣政協換屆", body="在市政協的正確指導下。")
    normalize_item(item, NormalizeConfig())
    assert built >= 1
    assert converter.cache_info().currsize == built
