"""The project's own Traditional → Simplified cases, written by the team from how the words
are written in Taiwan, Hong Kong and the mainland (not copied from OpenCC's suite).

They pin what newsflow relies on: the official OpenCC engine (the reimplementation turns
乾安縣 into 干安县 and 什麼 into 什幺), one-to-many characters resolved by the word (乾燥 but
乾隆, 頭髮 but 發展, 瞭解 but 明瞭), and the regional configs' own vocabulary variants.
"""

import pytest

from stages.text.script import to_simplified

# (config, Traditional, Simplified), the expected side typed by hand.
CASES = [
    ("t2s", "吉林省乾安縣政協召開常委會議", "吉林省乾安县政协召开常委会议"),
    ("t2s", "他們在說什麼", "他们在说什么"),
    ("t2s", "天氣乾燥，注意防火", "天气干燥，注意防火"),
    ("t2s", "乾隆年間的古建築", "乾隆年间的古建筑"),
    ("t2s", "理髮店的頭髮", "理发店的头发"),
    ("t2s", "推動經濟高質量發展", "推动经济高质量发展"),
    ("t2s", "深入瞭解群眾的需求", "深入了解群众的需求"),
    ("t2s", "後來他們回到了家鄉", "后来他们回到了家乡"),
    ("t2s", "皇后在宮裡等候", "皇后在宫里等候"),
    ("t2s", "這個問題很複雜", "这个问题很复杂"),
    ("t2s", "鐘錶廠的工人", "钟表厂的工人"),
    ("t2s", "麵包和麪條", "面包和面条"),
    ("t2s", "製造業與製度建設", "制造业与制度建设"),
    ("t2s", "一隻鳥飛過雲層", "一只鸟飞过云层"),
    ("t2s", "農民的收穫", "农民的收获"),
    ("t2s", "著名作家", "著名作家"),
    ("t2s", "歷史與曆法", "历史与历法"),
    ("t2s", "台灣的颱風", "台湾的台风"),
    ("t2s", "準備餘額", "准备余额"),
    ("tw2s", "政府推動數位轉型", "政府推动数位转型"),
    ("tw2s", "這裡的學校很多", "这里的学校很多"),
    ("tw2s", "立法院三讀通過", "立法院三读通过"),
    ("tw2s", "記者／台北報導", "记者／台北报导"),
    ("hk2s", "香港青年赴灣區創業", "香港青年赴湾区创业"),
    ("hk2s", "裏面的人", "里面的人"),
    ("hk2s", "推動創科發展", "推动创科发展"),
    ("hk2s", "政府會繼續聽取市民意見", "政府会继续听取市民意见"),
]


@pytest.mark.parametrize(("config", "traditional", "simplified"), CASES,
                         ids=[f"{c}-{t[:6]}" for c, t, _ in CASES])
def test_traditional_converts_to_the_simplified_a_mainland_paper_prints(config, traditional,
                                                                         simplified):
    assert to_simplified(traditional, config) == simplified


def test_simplified_text_passes_through_unchanged():
    text = "梨树县政协坚持守正创新，紧扣经济社会发展工作大局。"
    assert all(to_simplified(text, config) == text for config in ("t2s", "tw2s", "hk2s"))
