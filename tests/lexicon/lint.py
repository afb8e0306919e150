#!/usr/bin/python3
"""lint.py - check the libcxsent model data (data/lexicon, data/rules, data/cx) for mistakes.

usage: lint.py [-q] DATA_DIR

DATA_DIR is the directory holding default.model, lexicon/, rules/ and cx/ (the format is in
data/README.md). Every file under DATA_DIR/lexicon, DATA_DIR/rules and DATA_DIR/cx is checked:

  * the file is valid UTF-8, lines end in LF, no NUL bytes, no byte order mark;
  * it starts with "@section NAME" for a known section; no other directives;
  * every entry has the right number of TAB-separated fields for its section;
  * values are in range: lexicon valences -4.0..4.0 with one decimal, 0.0 only for multi-word
    phrases; booster weights in (-1, 1) and not 0; irrealis factors in [-2, 2]; contrastive
    weights in [0, 4] with an optional "lead"; time units and number words positive; duration
    cues wait, speed, other or usual; settings known by name and in range ("none" is for overrides);
    theme names 1-31 of a-z, 0-9 and _; channels, intents and levels one of their keywords;
    wait_context terms single words, each with one kind or a ','-joined list of kinds, none
    of them twice;
  * terms are written in normalised form (lower case, NFKC case folded, ASCII apostrophe, no
    U+FE0F, no skin-tone modifier, single spaces, no leading/trailing space, no elongated runs of
    3+ identical letters) and tokenize the way the engine tokenizes text: words are letters and
    digits with inner ' or -, numbers are digits, emoji are one grapheme cluster each, emoticons
    are one run of non-space ASCII that the tokenizer can match (not led by a digit, nor by a
    letter followed by a letter or digit) and never part of a phrase;
  * no term twice in a section of a file; entries sorted by term in byte order within each
    section (settings keep their documented order);
  * across files: a term has a valence in the lexicon section of at most one file (a second
    entry is a conflict when the valences differ and a duplicate when they agree);
  * every file is included by default.model and every include exists.

Section names, field counts and settings are read from lib/model.c when it sits next to
DATA_DIR, so the lint follows the loader; the tables below are the fallback.

Each problem is printed as FILE:LINE:COLUMN: reason (COLUMN counts bytes from 1, like the
loader's errors). Exit status: 0 clean, 1 problems found, 2 usage error.
Standard library only.
"""

import os
import re
import sys
import unicodedata

SECTIONS = {
    # name: (min fields, max fields)
    "lexicon": (2, 2),
    "negators": (1, 1),
    "boosters": (2, 2),
    "contrastives": (3, 4),
    "irrealis": (2, 2),
    "sarcasm": (1, 1),
    "settings": (2, 2),
    "time_units": (2, 2),
    "number_words": (2, 2),
    "duration_cues": (2, 2),
    "markers": (2, 2),
    "themes": (2, 2),
    "channels": (2, 2),
    "intents": (2, 2),
    "levels": (2, 2),
    "wait_context": (2, 2),
    "patterns": (3, 3),
}
DURATION_CUE_KINDS = ("wait", "process", "speed", "other", "usual")
CHANNELS = ("phone", "chat", "email", "social", "store", "delivery", "other")
INTENTS = ("complaint", "churn", "return", "recommend")
LEVELS = ("baseline", "delight", "failure")
WAIT_KINDS = ("promise", "trip", "lifetime-end", "lifetime-use", "lifetime-after",
              "lifetime-for", "join", "count", "length", "lead")
THEME_NAME_RE = re.compile(r"[a-z][a-z0-9_]{0,30}\Z")

# name: (lowest, highest) as in lib/model.c
SETTINGS = {
    "alpha": (0.1, 1000.0),
    "negation_scalar": (-2.0, 0.0),
    "negated_negative": (-2.0, 0.0),
    "negation_scope": (0.0, 10.0),
    "booster_decay2": (0.0, 1.0),
    "booster_decay3": (0.0, 1.0),
    "caps_boost": (0.0, 4.0),
    "elongation_boost": (0.0, 4.0),
    "exclaim_boost": (0.0, 4.0),
    "exclaim_max": (0.0, 20.0),
    "question_boost": (0.0, 4.0),
    "question_max_boost": (0.0, 4.0),
    "irrealis_scope": (0.0, 10.0),
    "sarcasm_factor": (-2.0, 1.0),
    "sentence_damping": (0.0, 1.0),
    "last_sentence_weight": (0.0, 4.0),
    "rating_center": (0.0, 1.0),
    "rating_scale": (0.0, 20.0),
    "neutral_weight": (0.0, 4.0),
    "negative_weight": (0.1, 4.0),
    "question_factor": (0.0, 2.0),
    "neutral_zone": (0.0, 4.0),
    "wait_base": (0.0, 4.0),
    "wait_minutes": (0.1, 100000.0),
    "wait_log": (0.0, 4.0),
    "wait_cap": (0.0, 4.0),
    "wait_uncued": (0.0, 1.0),
    "wait_process": (0.0, 1.0),
    "speed_valence": (0.0, 4.0),
    "speed_minutes": (0.0, 100000.0),
    "concession_factor": (-2.0, 1.0),
    "resolved_factor": (0.0, 1.0),
    "minor_factor": (0.0, 1.0),
    "baseline_max": (0.0, 4.0),
    "missed_need": (0.0, 4.0),
    "info_max": (0.0, 4.0),
    "standard_phone": (0.0, 1e9),
    "standard_chat": (0.0, 1e9),
    "standard_email": (0.0, 1e9),
    "standard_social": (0.0, 1e9),
    "standard_store": (0.0, 1e9),
    "standard_delivery": (0.0, 1e9),
    "standard_other": (0.0, 1e9),
    "delight_valence": (0.0, 4.0),
}


def learn_from_source(data_dir):
    """Take section names, field counts and settings from lib/model.c when it is next to data/.

    The tables above are the fallback (and what the lint tests use); the loader's source is the
    truth, so a section or setting added there is known here without editing this file.
    """
    path = os.path.join(data_dir, os.pardir, "lib", "model.c")
    try:
        with open(path, encoding="utf-8") as f:
            src = f.read()
    except OSError:
        return
    settings = {}
    for m in re.finditer(r"^\s*S\((\w+),\s*(-?[0-9.e]+),\s*(-?[0-9.e]+),\s*(-?[0-9.e]+)\)",
                         src, re.M):
        settings[m.group(1)] = (float(m.group(3)), float(m.group(4)))
    if settings:
        SETTINGS.clear()
        SETTINGS.update(settings)
    m = re.search(r"section_names\[\]\s*=\s*\{(.*?)\};", src, re.S)
    lo = re.search(r"need_min\[\]\s*=\s*\{([0-9,\s]*)\}", src)
    hi = re.search(r"need_max\[\]\s*=\s*\{([0-9,\s]*)\}", src)
    if not (m and lo and hi):
        return
    names = re.findall(r'"(\w+)"', m.group(1))
    mins = [int(x) for x in lo.group(1).replace(",", " ").split()][1:]
    maxs = [int(x) for x in hi.group(1).replace(",", " ").split()][1:]
    if len(names) != len(mins) or len(names) != len(maxs):
        return
    for name, a, b in zip(names, mins, maxs):
        if name not in SECTIONS:
            SECTIONS[name] = (a, b)


NORM_MAX = 64         # longest key the tokenizer keeps for one token, bytes (lib/token.h)
MAX_PHRASE_WORDS = 8  # lib/model.c
MAX_TERM_BYTES = 255

VALENCE_RE = re.compile(r"-?[0-4]\.[0-9]\Z")
NUMBER_RE = re.compile(r"-?[0-9]+(\.[0-9]+)?\Z")
ASCII_WORD_RE = re.compile(r"[a-z][a-z0-9]*(?:['-][a-z0-9]+)*\Z")
NUMBER_WORD_RE = re.compile(r"[0-9]+(?:\.[0-9]+)?\Z")
ELONGATED_RE = re.compile(r"([A-Za-z])\1\1+")

APOSTROPHES = {0x2019: "U+2019", 0x2018: "U+2018", 0x02BC: "U+02BC", 0xFF07: "U+FF07"}
ZWJ = 0x200D
KEYCAP = 0x20E3


def cp_name(c):
    return "U+%04X" % ord(c)


def is_skin_tone(cp):
    return 0x1F3FB <= cp <= 0x1F3FF


def is_regional(cp):
    return 0x1F1E6 <= cp <= 0x1F1FF


def is_tag(cp):
    return 0xE0020 <= cp <= 0xE007F


# Extended_Pictographic code points that are not category So (Python has no emoji property);
# with category So this is what the engine treats as the start of an emoji.
_PICTO_RANGES = (
    (0x203C, 0x203C), (0x2049, 0x2049), (0x2139, 0x2139), (0x2194, 0x2199),
    (0x25FB, 0x25FE), (0x2934, 0x2935), (0x3030, 0x3030), (0x303D, 0x303D),
    (0x1F000, 0x1FAFF),
)


def is_emoji_start(ch):
    cp = ord(ch)
    if unicodedata.category(ch) == "So":
        return True
    return any(lo <= cp <= hi for lo, hi in _PICTO_RANGES)


def is_letter_class(ch):
    """Letters, marks and digits: what the tokenizer puts in a word (non-ASCII)."""
    return unicodedata.category(ch)[0] in "LMN" and not is_emoji_start(ch)


def utf8_col(text, index):
    """1-based byte column of text[index]."""
    return len(text[:index].encode("utf-8")) + 1


def fold(word):
    """NFKC case folding, as the engine folds non-ASCII words."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", word).casefold())


class Term:
    """A term as the tokenizer would see it."""

    def __init__(self):
        self.key = None       # normalised key (words joined by one space), None if unusable
        self.words = 0
        self.kind = None      # "word", "phrase", "emoji", "emoticon"
        self.problems = []    # (index into the term, reason)


def check_emoji_word(word, base, t, parts):
    """An emoji word: exactly one grapheme cluster, written without FE0F/FE0E/skin tones."""
    i = 0
    n = len(word)
    clean = []
    first = ord(word[0])
    clean.append(word[0])
    i = 1
    if is_regional(first):
        if i < n and is_regional(ord(word[i])):
            clean.append(word[i])
            i += 1
    while i < n:
        cp = ord(word[i])
        if cp in (0xFE0F, 0xFE0E):
            t.problems.append((base + i, "emoji with variation selector %s (write it without)"
                               % cp_name(word[i])))
            i += 1
            continue
        if is_skin_tone(cp):
            t.problems.append((base + i, "emoji with skin-tone modifier %s (write it without)"
                               % cp_name(word[i])))
            i += 1
            continue
        if cp == KEYCAP or is_tag(cp) or unicodedata.category(word[i]) in ("Mn", "Me"):
            clean.append(word[i])
            i += 1
            continue
        if cp == ZWJ and i + 1 < n and is_emoji_start(word[i + 1]):
            clean.append(word[i])
            clean.append(word[i + 1])
            i += 2
            continue
        break
    if i < n:
        if is_emoji_start(word[i]):
            t.problems.append((base + i, "two emoji without a space between them tokenize as two "
                               "terms (separate them with a space)"))
        else:
            t.problems.append((base + i, "%s after an emoji does not tokenize with it"
                               % cp_name(word[i])))
        return None
    parts.append("".join(clean))
    return "emoji"


def check_word(word, base, t, parts):
    """One space-separated word of a term. Appends its normalised key(s) to parts."""
    if all(ord(c) < 0x80 for c in word):
        if ASCII_WORD_RE.match(word) or NUMBER_WORD_RE.match(word):
            m = ELONGATED_RE.search(word)
            if m:
                t.problems.append((base + m.start(), "elongated run '%s' (the tokenizer squeezes "
                                   "3+ identical letters to 2)" % m.group(0)))
                word = ELONGATED_RE.sub(lambda x: x.group(1) * 2, word)
            parts.append(word)
            return "word"
        low = word.lower()
        if low != word and (ASCII_WORD_RE.match(low) or NUMBER_WORD_RE.match(low)):
            k = next(i for i, c in enumerate(word) if c.isupper())
            t.problems.append((base + k, "not lower case"))
            parts.append(low)
            return "word"
        m = re.match(r"([0-9]+)-?([a-z][a-z0-9'-]*)\Z", low)
        if m and ASCII_WORD_RE.match(m.group(2)):
            t.problems.append((base + len(m.group(1)), "a number with a word attached tokenizes "
                               "as two words: write '%s %s'" % (m.group(1), m.group(2))))
            parts.append(m.group(1))
            parts.append(m.group(2))
            return "word"
        if re.match(r"[0-9]{1,3}(,[0-9]{3})+\Z", word):
            t.problems.append((base, "thousands separators are dropped: write '%s'"
                               % word.replace(",", "")))
            parts.append(word.replace(",", ""))
            return "word"
        bad = next((i for i, c in enumerate(word)
                    if not (c.isalnum() or c in "'-")), None)
        if bad is not None:
            t.problems.append((base + bad, "'%s' does not tokenize as part of a word" % word[bad]))
        elif word[0] in "'-" or word[-1] in "'-":
            k = 0 if word[0] in "'-" else len(word) - 1
            t.problems.append((base + k, "a word cannot start or end with ' or -"))
        else:
            k = re.search(r"['-]['-]", word)
            t.problems.append((base + (k.start() if k else 0),
                               "' and - are only allowed singly between letters or digits"))
        return None

    # non-ASCII
    if is_emoji_start(word[0]):
        return check_emoji_word(word, base, t, parts)
    for i, c in enumerate(word):
        cp = ord(c)
        if cp in APOSTROPHES:
            t.problems.append((base + i, "curly apostrophe %s (write ASCII ')" % APOSTROPHES[cp]))
            continue
        if cp == 0xFE0F or cp == 0xFE0E or is_skin_tone(cp):
            t.problems.append((base + i, "%s does not belong in a term" % cp_name(c)))
            continue
        if cp < 0x80:
            if c.isalnum() or (c in "'-" and 0 < i < len(word) - 1
                               and word[i + 1] not in "'-" and word[i - 1] not in "'-"):
                continue
        elif is_letter_class(c):
            continue
        if is_emoji_start(c):
            t.problems.append((base + i, "emoji %s glued to a word tokenizes as a separate term"
                               % cp_name(c)))
        else:
            t.problems.append((base + i, "%s does not tokenize as part of a word" % cp_name(c)))
        return None
    if word[0].isdigit() and word[0] < "\x80":
        t.problems.append((base, "a word that starts with a digit tokenizes as a number"))
        return None
    key = word
    for a in APOSTROPHES:
        key = key.replace(chr(a), "'")
    key = key.replace("\ufe0f", "").replace("\ufe0e", "")
    folded = fold(key)
    if folded != key:
        k = next((i for i, (a, b) in enumerate(zip(key, folded)) if a != b),
                 min(len(key), len(folded)))
        t.problems.append((base + k, "not lower case / NFKC case folded (write '%s')" % folded))
        key = folded
    m = ELONGATED_RE.search(key)
    if m:
        t.problems.append((base + m.start(), "elongated run '%s' (the tokenizer squeezes 3+ "
                           "identical letters to 2)" % m.group(0)))
        key = ELONGATED_RE.sub(lambda x: x.group(1) * 2, key)
    parts.append(key)
    return "word"


def analyse_term(term):
    """Check that a term is in normalised form and tokenizes; compute its key."""
    t = Term()
    if term != term.strip(" "):
        t.problems.append((0 if term.startswith(" ") else len(term) - 1,
                           "leading or trailing space"))
    for i, c in enumerate(term):
        if c != " " and (c.isspace() or unicodedata.category(c) in ("Zs", "Zl", "Zp", "Cc")):
            t.problems.append((i, "white space or control character %s (words are separated by "
                               "one ASCII space)" % cp_name(c)))
            return t
    m = re.search(r"  +", term)
    if m:
        t.problems.append((m.start(), "more than one space between words"))
    stripped = term.strip(" ")
    if not stripped:
        t.problems.append((0, "empty term"))
        return t

    # one run of non-space ASCII that is not a plain word: an emoticon
    if (" " not in stripped and all(0x20 < ord(c) < 0x7F for c in stripped)
            and not ASCII_WORD_RE.match(stripped.lower())
            and not NUMBER_WORD_RE.match(stripped)
            and not re.match(r"[0-9]+-?[a-zA-Z][a-zA-Z0-9'-]*\Z", stripped)
            and not re.match(r"[0-9]{1,3}(,[0-9]{3})+\Z", stripped)
            and not re.match(r"['-]*[A-Za-z0-9]+(?:['-]+[A-Za-z0-9]+)*['-]*\Z", stripped)):
        if not 2 <= len(stripped) <= 15:
            t.problems.append((0, "an emoticon has 2 to 15 characters"))
        k = next((i for i, c in enumerate(stripped) if "A" <= c <= "Z"), None)
        if k is not None:
            t.problems.append((k, "emoticon not lower case"))
        if stripped[0].isdigit():
            t.problems.append((0, "an emoticon that starts with a digit never matches (the "
                               "tokenizer reads a number there)"))
        elif stripped[0].isalpha() and len(stripped) > 1 and (stripped[1].isalnum()
                                                              or stripped[1] in "'-"):
            t.problems.append((1, "an emoticon that starts with a letter must go on with "
                               "punctuation, or it never matches (the tokenizer reads a word "
                               "there)"))
        t.key = stripped.lower()
        t.words = 1
        t.kind = "emoticon"
        return t

    parts = []
    kinds = []
    base = len(term) - len(term.lstrip(" "))
    for w in stripped.split(" "):
        if w == "":
            base += 1
            continue
        k = check_word(w, base, t, parts)
        if k is None:
            return t
        kinds.append(k)
        base += len(w) + 1
    for p in parts:
        if len(p.encode("utf-8")) > NORM_MAX:
            t.problems.append((0, "a word longer than %d bytes is never looked up" % NORM_MAX))
            return t
    if len(parts) > MAX_PHRASE_WORDS:
        t.problems.append((0, "a phrase has at most %d words" % MAX_PHRASE_WORDS))
        return t
    key = " ".join(parts)
    if len(key.encode("utf-8")) > MAX_TERM_BYTES:
        t.problems.append((0, "the term is too long"))
        return t
    t.key = key
    t.words = len(parts)
    t.kind = "phrase" if len(parts) > 1 else kinds[0]
    return t


def parse_number(s):
    if not NUMBER_RE.match(s):
        return None
    return float(s)


class Linter:
    def __init__(self, data_dir, quiet=False):
        self.data = data_dir
        self.quiet = quiet
        self.problems = 0
        # key -> list of (display path, line, column, valence text)
        self.valences = {}

    def report(self, path, line, col, reason):
        self.problems += 1
        print("%s:%d:%d: %s" % (path, line, col, reason))

    def display(self, path):
        rel = os.path.relpath(path)
        return path if rel.startswith("..") else rel

    # -- default.model --------------------------------------------------------------------
    def read_model(self):
        """The files default.model includes, in order (absolute paths)."""
        path = os.path.join(self.data, "default.model")
        shown = self.display(path)
        order = []
        try:
            with open(path, "rb") as f:
                raw = f.read()
        except OSError as e:
            self.report(shown, 1, 1, "cannot read default.model: %s" % e.strerror)
            return order
        for no, line in enumerate(raw.split(b"\n"), 1):
            try:
                text = line.decode("utf-8").rstrip("\r")
            except UnicodeDecodeError as e:
                self.report(shown, no, e.start + 1, "invalid UTF-8")
                continue
            if text.startswith("@include "):
                inc = text[len("@include "):]
                full = os.path.normpath(os.path.join(self.data, inc))
                if not os.path.isfile(full):
                    self.report(shown, no, 10, "included file %s does not exist" % inc)
                    continue
                if full in order:
                    self.report(shown, no, 10, "%s is included twice" % inc)
                    continue
                order.append(full)
        return order

    # -- one file -------------------------------------------------------------------------
    def lint_file(self, path, model_rank):
        shown = self.display(path)
        try:
            with open(path, "rb") as f:
                raw = f.read()
        except OSError as e:
            self.report(shown, 1, 1, "cannot read: %s" % e.strerror)
            return
        if raw.startswith(b"\xef\xbb\xbf"):
            self.report(shown, 1, 1, "byte order mark (files are plain UTF-8)")
            raw = raw[3:]
        if not raw:
            self.report(shown, 1, 1, "empty file (every file starts with @section NAME)")
            return
        if not raw.endswith(b"\n"):
            nl = raw.count(b"\n") + 1
            self.report(shown, nl, 1, "no newline at the end of the file")
        lines = raw.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()

        section = None
        block = 0            # a new block starts at each @section line
        seen = {}            # (block section name, key) -> line   (duplicates within a section)
        prev = None          # (term bytes, line) of the previous entry in this block
        for no, bline in enumerate(lines, 1):
            if bline.endswith(b"\r"):
                self.report(shown, no, len(bline), "CR before LF (lines end in LF)")
                bline = bline[:-1]
            if b"\0" in bline:
                self.report(shown, no, bline.index(b"\0") + 1, "NUL byte")
                continue
            try:
                line = bline.decode("utf-8")
            except UnicodeDecodeError as e:
                self.report(shown, no, e.start + 1, "invalid UTF-8")
                continue
            if no == 1 and not line.startswith("@section "):
                self.report(shown, 1, 1, "the file must start with '@section NAME'")
            if line == "" or line.startswith("#"):
                continue
            if line.strip() == "":
                self.report(shown, no, 1, "line of white space only")
                continue
            if line.startswith("@"):
                if line.startswith("@section "):
                    name = line[len("@section "):]
                    if name not in SECTIONS:
                        self.report(shown, no, 10, "unknown section '%s' (known: %s)"
                                    % (name, ", ".join(sorted(SECTIONS))))
                        section = None
                    else:
                        section = name
                    block += 1
                    prev = None
                else:
                    self.report(shown, no, 1, "unexpected directive (data files only use "
                                "@section; @include belongs in default.model)")
                continue
            if section is None:
                if block == 0:
                    self.report(shown, no, 1, "entry before any @section line")
                continue
            self.lint_entry(shown, no, line, section, block, seen, model_rank)
            if section != "settings":
                term = line.split("\t", 1)[0]
                tb = term.encode("utf-8")
                if prev is not None and tb < prev[0]:
                    self.report(shown, no, 1, "not sorted: '%s' belongs before '%s' (line %d); "
                                "entries are sorted by term in byte order"
                                % (term, prev[0].decode("utf-8"), prev[1]))
                prev = (tb, no)

    def lint_entry(self, shown, no, line, section, block, seen, model_rank):
        fields = line.split("\t")
        cols = []
        c = 1
        for f in fields:
            cols.append(c)
            c += len(f.encode("utf-8")) + 1
        lo, hi = SECTIONS[section]
        if not lo <= len(fields) <= hi:
            want = str(lo) if lo == hi else "%d to %d" % (lo, hi)
            self.report(shown, no, 1, "section %s takes %s TAB-separated field%s, found %d"
                        % (section, want, "" if want == "1" else "s", len(fields)))
            return
        for i, f in enumerate(fields):
            if f == "":
                self.report(shown, no, cols[i], "empty field %d" % (i + 1))
                return
            if i > 0 and f != f.strip():
                self.report(shown, no, cols[i], "space around the value of field %d" % (i + 1))
                return
        term = fields[0]

        if section == "patterns":
            # a regular expression, not a term: the library compiles it (and names any error);
            # here only the kind and its value, and no expression twice with one kind (a line
            # "REGEX<TAB>none" removes, which belongs in an override, not in our data)
            kind, value = fields[1], fields[2]
            known = {"theme": None, "channel": CHANNELS, "intent": INTENTS, "level": LEVELS}
            if kind not in known:
                self.report(shown, no, cols[1], "the kind must be theme, channel, intent or level")
            elif kind == "theme" and value != "none" and not THEME_NAME_RE.match(value):
                self.report(shown, no, cols[2], "not a theme name: '%s'" % value)
            elif known[kind] is not None and value != "none" and value not in known[kind]:
                self.report(shown, no, cols[2], "unknown %s '%s'" % (kind, value))
            dup = seen.get(("patterns", term, kind))
            if dup:
                self.report(shown, no, 1, "pattern and kind repeated (line %d)" % dup)
            else:
                seen[("patterns", term, kind)] = no
            return

        if section == "settings":
            if term not in SETTINGS:
                self.report(shown, no, 1, "unknown setting '%s'" % term)
                return
            v = parse_number(fields[1])
            rlo, rhi = SETTINGS[term]
            if v is None or not rlo <= v <= rhi:
                self.report(shown, no, cols[1], "setting %s must be a number from %g to %g"
                            % (term, rlo, rhi))
            dup = seen.get(("settings", term))
            if dup:
                self.report(shown, no, 1, "setting '%s' repeated (line %d)" % (term, dup))
            else:
                seen[("settings", term)] = no
            return

        t = analyse_term(term)
        for idx, reason in t.problems:
            self.report(shown, no, utf8_col(term, idx), reason)

        for i in range(1, len(fields)):
            if fields[i] == "none":
                self.report(shown, no, cols[i], "'none' only belongs in override files")
                return
        if section == "lexicon":
            v = fields[1]
            if not VALENCE_RE.match(v):
                self.report(shown, no, cols[1], "valence must be -4.0 to 4.0 with one decimal "
                            "(found '%s')" % v)
            else:
                fv = float(v)
                if fv > 4.0 or fv < -4.0:
                    self.report(shown, no, cols[1], "valence must be -4.0 to 4.0")
                elif v == "-0.0":
                    self.report(shown, no, cols[1], "write 0.0, not -0.0")
                elif fv == 0.0 and t.key is not None and t.words < 2:
                    self.report(shown, no, cols[1], "valence 0.0 is only for multi-word phrases "
                                "(a neutral single term is left out)")
        elif section == "boosters":
            v = parse_number(fields[1])
            if v is None or not -1.0 < v < 1.0 or v == 0.0:
                self.report(shown, no, cols[1], "booster weight must be a number in (-1, 1), "
                            "not 0")
        elif section == "irrealis":
            v = parse_number(fields[1])
            if v is None or not -2.0 <= v <= 2.0:
                self.report(shown, no, cols[1], "irrealis factor must be a number in [-2, 2]")
        elif section in ("time_units", "number_words"):
            v = parse_number(fields[1])
            if v is None or not 0.0 < v <= 1e9:
                self.report(shown, no, cols[1], "the amount must be a positive number")
        elif section == "duration_cues":
            if fields[1] not in DURATION_CUE_KINDS:
                self.report(shown, no, cols[1], "the cue kind must be one of %s"
                            % ", ".join(DURATION_CUE_KINDS))
        elif section == "themes":
            if not THEME_NAME_RE.match(fields[1]):
                self.report(shown, no, cols[1], "a theme name is 1 to 31 of a-z, 0-9 and _, "
                            "starting with a letter")
        elif section in ("channels", "intents", "levels"):
            allowed = {"channels": CHANNELS, "intents": INTENTS, "levels": LEVELS}[section]
            if fields[1] not in allowed:
                self.report(shown, no, cols[1], "the %s must be one of %s"
                            % (section[:-1], ", ".join(allowed)))
        elif section == "wait_context":
            if t.key is not None and t.words != 1:
                self.report(shown, no, 1, "a wait_context term is a single word (the wait rules "
                            "look at one token)")
            col = cols[1]
            kinds = fields[1].split(",")
            for i, k in enumerate(kinds):
                if k not in WAIT_KINDS:
                    self.report(shown, no, col, "the wait_context kind must be one of %s, or "
                                "several joined by ','" % ", ".join(WAIT_KINDS))
                    break
                if k in kinds[:i]:
                    self.report(shown, no, col, "wait_context kind '%s' given twice" % k)
                    break
                col += len(k) + 1
        elif section == "contrastives":
            for i in (1, 2):
                v = parse_number(fields[i])
                if v is None or not 0.0 <= v <= 4.0:
                    self.report(shown, no, cols[i], "contrastive weight must be a number in "
                                "[0, 4]")
            if len(fields) == 4 and fields[3] != "lead":
                self.report(shown, no, cols[3], "the fourth field may only be 'lead'")

        if t.key is None:
            return
        dkey = (section, t.key)
        if dkey in seen:
            same = " (written differently)" if seen[dkey][1] != term else ""
            self.report(shown, no, 1, "duplicate term '%s' in section %s (line %d)%s"
                        % (term, section, seen[dkey][0], same))
        else:
            seen[dkey] = (no, term)
        if section == "lexicon":
            self.valences.setdefault(t.key, []).append(
                (model_rank, shown, no, term, fields[1]))

    # -- across files ---------------------------------------------------------------------
    def cross_file(self):
        for key in sorted(self.valences):
            occ = self.valences[key]
            files = {o[1] for o in occ}
            if len(files) < 2:
                continue
            occ.sort()
            first = occ[0]
            for o in occ[1:]:
                if o[1] == first[1]:
                    continue  # same file: reported as a duplicate within the section already
                what = "conflict" if o[4] != first[4] else "duplicate"
                detail = (" with valence %s here and %s there" % (o[4], first[4])
                          if what == "conflict" else "")
                self.report(o[1], o[2], 1, "cross-file %s: '%s' also has a valence in %s:%d%s; "
                            "keep one entry per term" % (what, o[3], first[1], first[2], detail))

    def run(self):
        if not os.path.isdir(self.data):
            print("lint.py: %s is not a directory" % self.data, file=sys.stderr)
            return 2
        learn_from_source(self.data)
        order = self.read_model()
        rank = {p: i for i, p in enumerate(order)}
        files = []
        for sub in ("lexicon", "rules", "cx"):
            d = os.path.join(self.data, sub)
            if not os.path.isdir(d):
                if sub != "cx":  # customer-experience data is optional
                    self.report(self.display(d), 1, 1, "missing directory")
                continue
            for name in sorted(os.listdir(d)):
                full = os.path.normpath(os.path.join(d, name))
                if name.startswith(".") or not os.path.isfile(full):
                    continue
                files.append(full)
                if full not in rank:
                    self.report(self.display(full), 1, 1, "not included by default.model "
                                "(add '@include %s/%s')" % (sub, name))
        for f in files:
            self.lint_file(f, rank.get(f, len(order)))
        self.cross_file()
        if not self.quiet:
            print("lint.py: %d file%s checked, %d problem%s" % (
                len(files), "" if len(files) == 1 else "s",
                self.problems, "" if self.problems == 1 else "s"), file=sys.stderr)
        return 1 if self.problems else 0


def main(argv):
    args = [a for a in argv[1:] if a not in ("-q", "--quiet")]
    if len(args) != 1 or args[0] in ("-h", "--help"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 0 if args and args[0] in ("-h", "--help") else 2
    return Linter(args[0], quiet=len(args) != len(argv) - 1).run()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
