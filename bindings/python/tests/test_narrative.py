"""Narrative: tallies, merge equals the union, errors, threads and pickling."""

import pickle

import pytest

import cxsent

RECORDS = [
    ("Acme", "2026-03", "a1", "Great service, the staff were lovely and helpful!", 5),
    ("Acme", "2026-03", "a2", "Waited 45 minutes on hold, the staff were rude. Never again.", 1),
    ("Acme", "2026-04", "a3", "Refund took 3 weeks and nobody answered my emails", 5),
    ("Acme", "2026-04", "a4", "Will definitely come back, telling all my friends", 2),
    ("Bolt", "2026-03", "b1", "Delivery was fast and the food arrived hot", None),
    ("Bolt", None, "b2", "Switching to another bank. Terrible app, hidden fees.", None),
    ("Bolt", "2026-04", "b3", "It was ok", 3),
]


def build(records, model=None):
    nar = cxsent.Narrative(model)
    for group, period, rid, text, rating in records:
        nar.add(text, group=group, period=period, id=rid, rating=rating)
    return nar


def test_tallies_match_the_records():
    d = build(RECORDS).to_dict()
    groups = {g["group"]: g for g in d["groups"]}
    assert list(groups) == ["Acme", "Bolt"]
    acme = groups["Acme"]
    assert acme["sentiment"]["texts"] == 4
    labels = [cxsent.score(t).label for g, _, _, t, _ in RECORDS if g == "Acme"]
    assert acme["sentiment"]["positive"] == labels.count("positive")
    assert acme["sentiment"]["negative"] == labels.count("negative")
    assert acme["intents"]["churn"]["count"] >= 1
    assert acme["ratings"]["rated"] == 4
    assert acme["ratings"]["high_rating_negative_text"] == 1  # a3: five stars, angry text
    assert acme["ratings"]["low_rating_positive_text"] == 1  # a4: two stars, glad text
    assert [p["period"] for p in acme["periods"]] == ["2026-03", "2026-04"]
    assert acme["change"]["from"] == "2026-03" and acme["change"]["to"] == "2026-04"
    phone = [w for w in acme["waits"] if w["channel"] == "phone"]
    assert phone and phone[0]["median_seconds"] == 2700  # one wait: exact
    assert [p["period"] for p in groups["Bolt"]["periods"]] == ["2026-03", "2026-04"]


def test_merge_equals_union_in_any_order():
    whole = build(RECORDS).to_json()
    for cut in range(len(RECORDS) + 1):
        a, b = RECORDS[:cut], RECORDS[cut:]
        assert build(a).merge(build(b)).to_json() == whole
        assert build(b).merge(build(a)).to_json() == whole
    assert build(list(reversed(RECORDS))).to_json() == whole


def test_without_verbatims_no_customer_text():
    text = build(RECORDS).to_json(verbatims=False)
    # the change still names lexicon terms ("lovely"), but no text of a customer's
    assert "verbatims" not in text and "staff were lovely" not in text
    assert "staff were lovely" in build(RECORDS).to_json()


def test_errors():
    nar = cxsent.Narrative()
    with pytest.raises(cxsent.CxsentError) as e:
        nar.add("fine", rating=7, rating_max=5)
    assert e.value.code == -2  # CXS_EINVAL
    assert nar.groups == []
    with pytest.raises(ValueError):
        nar.add("fine", group="a\0b")
    with pytest.raises(TypeError):
        nar.merge("not a narrative")
    with pytest.raises(cxsent.CxsentError):
        nar.merge(nar)
    with pytest.raises(cxsent.CxsentError) as e:
        cxsent.Narrative.from_state(build(RECORDS).to_state()[:-4])  # no end line
    assert e.value.code == -4 and e.value.line >= 1
    with pytest.raises(cxsent.CxsentError) as e:
        cxsent.Narrative.from_state(b"cxsent-narrative 1\nthemes 0\nend\n")
    assert e.value.code == -2  # another model's themes


def test_state_and_pickle_round_trip():
    nar = build(RECORDS)
    back = cxsent.Narrative.from_state(nar.to_state())
    assert back.to_json() == nar.to_json() and back.to_state() == nar.to_state()
    unpickled = pickle.loads(pickle.dumps(nar))
    assert unpickled.to_json() == nar.to_json()
    # a part sent as its state merges like the part itself
    part = pickle.loads(pickle.dumps(build(RECORDS[3:])))
    assert build(RECORDS[:3]).merge(part).to_json() == nar.to_json()


def test_other_themes_do_not_mix():
    other = cxsent.Model.default().merge(text="@section themes\nlatte\tcoffee_drinks\n")
    a, b = cxsent.Narrative(), cxsent.Narrative(other)
    b.add("The latte was cold.")
    with pytest.raises(cxsent.CxsentError):
        a.merge(b)
    themes = [t["theme"] for t in b.to_dict()["groups"][0]["themes"]]
    assert "coffee_drinks" in themes


def test_a_narrative_busy_in_another_thread_is_refused():
    """Reading a narrative (JSON, state, groups, as the source of a merge) while another
    thread is inside add() or merge() on it would read arrays being reallocated: refused, as
    add() and merge() into it are."""
    nar = build(RECORDS)
    other = cxsent.Narrative()
    nar._busy.acquire()  # as if another thread were inside add()
    try:
        for call in (nar.to_json, nar.to_state, lambda: nar.groups, lambda: other.merge(nar),
                     lambda: pickle.dumps(nar)):
            with pytest.raises(RuntimeError):
                call()
    finally:
        nar._busy.release()
    assert other.merge(nar).to_json() == nar.to_json()
    with pytest.raises(cxsent.CxsentError):
        nar.merge(nar)  # the library's refusal, not a RuntimeError
