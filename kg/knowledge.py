"""Loads and validates the knowledge files under kg/data: gazetteer, head words, triggers, lexicons."""
from __future__ import annotations

import re

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from .errors import KnowledgeError
from .model import ENTITY_TYPES, RELATIONS

DATA_DIR = Path(__file__).parent / "data"

HEAD_CACHE_SIZE = 200_000  # words; a cache that stops growing, so memory stays bounded

# Kinds of rows in quotes.tsv (see the file's header for what each means).
QUOTE_RULE_KINDS = ("after", "complete", "before", "between", "reject", "reject_before")

# The [sections] each sectioned file must have, each once; an unknown or missing one is an error.
GENERIC_SECTIONS = ("generic", "leading")
CATEGORY_SECTIONS = (
    "modifier", "classifier", "not_program", "inner", "rank", "weak_head", "not_numeral", "direction",
    "project_place_head", "policy_domain", "doctrine_tail", "name_initial", "enterprise_action",
    "province_abbreviation", "compass", "place_inner", "kind_marker", "phrase_final_head",
    "task_force_head", "task_force_opener", "company_kind", "relative_opener",
)
CUE_SECTIONS = (
    "publishing_verb", "counted_thing", "rank_opener", "place_in_brand", "function_char", "doc_title",
    "quote_joiner", "final_joiner", "after_prefix", "negation", "short_water_head", "school_head",
    "built_marker", "brand_not_first", "brand_not_last", "city_own_opener", "capacity_start", "place_char",
    "not_item_ending", "investment_opener", "threshold", "common_word_tag", "place_in_project_end",
    "not_place_end", "route_joiner", "facility_after_name",
)
# reports.txt: what a report's heading and its sentences' tense are read from (kg/reports.py)
REPORT_SECTIONS = ("report_kind", "plan_heading", "review_heading", "far_heading", "done", "planned", "negation")

# Where a rule id acts (rules.tsv's stage column, joined by +): it finds names, it reads facts, or it
# labels rows of a knowledge file (or a reading the code weighs) without being carried by either.
RULE_STAGES = ("mentions", "relations", "cue")

# Relations whose rules read trigger words (operatedBy reads names only).
TRIGGERED_RELATIONS = ("locatedIn", "implements", "investment")

LEVEL_SUBTYPE = {"province": "Province", "city": "City", "county": "District"}
# A place's kind (kgo:placeType, ontology/kg.ttl); the rules test these names, so a misspelt one in a
# knowledge file would silently skip them. Other types have no subtype.
PLACE_SUBTYPES = ("Province", "City", "District", "Town", "Village", "Zone", "Landmark", "Water")
# Longest first: the suffix removed to get a division's short form (新荣区 → 新荣).
DIVISION_SUFFIXES = (
    "维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "自治县", "自治旗",
    "地区", "林区", "特区", "省", "市", "区", "县", "旗", "盟",
)


@dataclass(frozen=True, slots=True)
class Division:
    """An administrative division of China with its GB/T 2260 code."""

    code: str
    name: str
    level: str
    parent: str
    short: str

    @property
    def subtype(self) -> str:
        return LEVEL_SUBTYPE[self.level]


@dataclass(frozen=True, slots=True)
class Head:
    """A head word that ends a name of the given type."""

    word: str
    type: str
    subtype: str
    rule: str


@dataclass(frozen=True, slots=True)
class Rule:
    """A declared rule id (rules.tsv): where it acts and what it reads."""

    id: str
    stages: tuple[str, ...]  # of RULE_STAGES
    description: str


@dataclass(frozen=True)
class Knowledge:
    """Everything extraction needs besides the text; loaded once, shared read-only."""

    divisions: dict[str, Division]
    by_name: dict[str, tuple[Division, ...]]
    by_short: dict[str, tuple[Division, ...]]
    heads: dict[str, Head]
    stop_tokens: frozenset[str]
    triggers: dict[str, tuple[tuple[str, str], ...]]
    programs: frozenset[str]
    generic: frozenset[str]
    leading: tuple[str, ...]
    industry: tuple[str, ...]
    quotes: dict[str, dict[str, str]]
    list_kinds: dict[str, tuple[str, str]]
    max_head: int = field(default=0)
    modifiers: frozenset[str] = field(default=frozenset())  # 示范, 普惠性: X示范村 is a kind, not a name
    classifiers: frozenset[str] = field(default=frozenset())  # 个, 批: 6个…项目 counts a kind
    not_programs: frozenset[str] = field(default=frozenset())  # 四个意识: doctrines, not programs
    landmarks: dict[str, tuple[str, str]] = field(default_factory=dict)  # 黄河 → (Place, Water)
    policy_domains: frozenset[str] = field(default=frozenset())  # 行政管理, 财政: fields, not names
    doctrine_tails: tuple[str, ...] = ()  # 共识, 作风: numbered sayings, not programs
    extra_words: frozenset[str] = field(default=frozenset())  # 市域: kept whole by the segmenter
    common_words: frozenset[str] = field(default=frozenset())  # 餐厨, 5G: words a tenth of the corpus reports use (mined/common_words.txt)
    name_initials: frozenset[str] = field(default=frozenset())  # 小, 上: open names, split off by jieba
    enterprise_actions: frozenset[str] = field(default=frozenset())  # 正在, 投产: what enterprises do
    directions: tuple[str, ...] = ()  # 南侧, 沿线: place + direction + name
    project_place_heads: tuple[str, ...] = ()  # 路, 河: heads of places that open project names
    inner_words: frozenset[str] = field(default=frozenset())  # 提升, 改造: inside names, never first
    ranks: tuple[str, ...] = ()  # 全国, 省级: open an honour title
    weak_heads: frozenset[str] = field(default=frozenset())  # 体系, 计划: need a specific name
    not_numeral: tuple[str, ...] = ()  # 一般: numeral-looking words that count nothing
    province_abbreviations: frozenset[str] = field(default=frozenset())  # 晋, 皖: with a compass point, a region
    compass: frozenset[str] = field(default=frozenset())  # 东, 北: 皖北 and 西北隅 are places
    place_inner: frozenset[str] = field(default=frozenset())  # 里: 安康|里|社区
    kind_markers: tuple[str, ...] = ()  # 首个, 于一体的: what follows describes a kind
    phrase_final_heads: frozenset[str] = field(default=frozenset())  # 战略: not in 战略|机遇期
    task_force_heads: frozenset[str] = field(default=frozenset())  # 领导小组: named by a verb phrase
    task_force_openers: tuple[str, ...] = ()  # 成立: where a task force's name starts
    company_kinds: frozenset[str] = field(default=frozenset())  # 证券, 融资性担保, 跨国: kinds of enterprise
    rules: dict[str, Rule] = field(default_factory=dict)  # the registry of rule ids (rules.tsv)
    # cues.txt: short lists the rules key on (see the file's header for each)
    publishing_verbs: tuple[str, ...] = ()  # 出台, 印发: a sentence that publishes a policy
    counted_things: tuple[str, ...] = ()  # 路, 管网: what 20条 counts when it is no policy
    rank_openers: tuple[str, ...] = ()  # 全国, 省级: open a title around a program's name
    place_in_brand: tuple[str, ...] = ()  # 岛, 沿线: a would-be brand that is a place
    function_chars: frozenset[str] = field(default=frozenset())  # 以, 在: glued to a name's first word
    doc_titles: tuple[str, ...] = ()  # 实施方案, 条例: a document title naming a plan
    quote_joiners: tuple[str, ...] = ()  # 、, 和: between the quotes of one list
    final_joiners: tuple[str, ...] = ()  # 和, 及, 与 (in this order): join a list's last item
    after_prefixes: tuple[str, ...] = ()  # 重大, 总: between a quote and the word that makes it a program
    negations: frozenset[str] = field(default=frozenset())  # 不, 未: open a negated phrase
    short_water_heads: frozenset[str] = field(default=frozenset())  # 河, 湖: one character before them names
    school_heads: tuple[str, ...] = ()  # 学, 学院: a school's name ending
    built_markers: tuple[str, ...] = ()  # 期, 路, 枢纽: a …工程 that is built
    brand_not_first: frozenset[str] = field(default=frozenset())  # 代, 期: cut from a number
    brand_not_last: frozenset[str] = field(default=frozenset())  # 类, 级: a class or a scale
    city_own_openers: tuple[str, ...] = ()  # 市, 我市: the city's own
    capacity_starts: tuple[str, ...] = ()  # 年产: a capacity starts
    place_chars: frozenset[str] = field(default=frozenset())  # 湖, 寨: an unknown word that is a place
    not_item_endings: tuple[str, ...] = ()  # 节, 龙头: list items that are no names
    investment_openers: tuple[str, ...] = ()  # 总投资: a clause continuing the one before with its investment
    thresholds: tuple[str, ...] = ()  # 以上: an amount that is a threshold
    relative_openers: tuple[str, ...] = ()  # 市, 县: 市人民医院 is the report's own city's
    common_word_tags: frozenset[str] = field(default=frozenset())  # n, ns: jieba's tags of words that are no brand (储能, 东北)
    place_in_project_ends: tuple[str, ...] = ()  # 路, 村, 湾: a place inside a project's name the guide names
    not_place_ends: tuple[str, ...] = ()  # 公路, 通道: a road built, not a place's name
    facility_after_names: tuple[str, ...] = ()  # 大桥, 高速: after a name heading a project, it names a place
    route_joiners: frozenset[str] = field(default=frozenset())  # 至, —: a route runs from one place to another
    # reports.txt: a report's kind, its year's headings and its sentences' tense (see the file's header)
    report_kinds: tuple[str, ...] = ()  # 政府工作报告, 发展综述 (longest first)
    plan_headings: tuple[str, ...] = ()  # 工作安排: 二、2023年工作安排 names the year planned for
    review_headings: tuple[str, ...] = ()  # 回顾: 一、2022年工作回顾 names a past year
    far_headings: tuple[str, ...] = ()  # 远景: 2035年远景目标 names a far goal's year
    done_words: frozenset[str] = field(default=frozenset())  # 建成, 完成: a sentence reporting done
    planned_words: frozenset[str] = field(default=frozenset())  # 将, 力争: a sentence planning
    tense_negations: frozenset[str] = field(default=frozenset())  # 未: 未完成 is not done
    # head_of is asked about every token of every document: the same words, again and again
    _head_cache: dict = field(default_factory=dict, compare=False, repr=False)
    # (text, with_domains) → only_describing; made afresh, never copied, by dataclasses.replace
    _describing_cache: dict = field(default_factory=dict, init=False, compare=False, repr=False)
    _name_like_cache: dict = field(default_factory=dict, init=False, compare=False, repr=False)  # word → kg.finding.common.name_like

    @cached_property
    def published(self) -> re.Pattern:
        """Any publishing verb, longest first."""
        return _alternatives(self.publishing_verbs)

    @cached_property
    def after_prefix(self) -> re.Pattern:
        """What may stand between a closing quote and an `after` word: a word of [after_prefix] or a count (三大, 五项), or nothing."""
        return re.compile(f"(?:{_alternatives(self.after_prefixes).pattern}|[一二三四五六七八九十两\\d]+[大项个])?")

    @cached_property
    def industry_words(self) -> frozenset[str]:
        """The industry words as a set, for membership tests (made once: finders ask per token)."""
        return _as_set(self.industry)

    @cached_property
    def direction_pattern(self) -> re.Pattern:
        """Any direction word (南侧, 以北, 沿线): its search tells whether a stretch of text holds one."""
        return _any_of(self.directions)

    @cached_property
    def kind_marker_pattern(self) -> re.Pattern:
        """Any kind marker (全国首个, 集…于一体): its search tells whether a clause holds one."""
        return _any_of(self.kind_markers)

    @cached_property
    def industry_pattern(self) -> re.Pattern:
        """Any industry word, tried in their order (longest first, as loaded): its search finds where
        the first one in a name starts, its match the first of them that opens a text."""
        return re.compile("|".join(map(re.escape, self.industry))) if self.industry else re.compile(r"(?!)")

    def chain(self, code: str) -> list[Division]:
        """The division and its ancestors, nearest first (新荣区 → 大同市 → 山西省)."""
        out = []
        while code and code in self.divisions:
            div = self.divisions[code]
            out.append(div)
            code = div.parent
        return out

    @cached_property
    def head_tails(self) -> frozenset[str]:
        """The endings of head words shorter than the head (中心 of 实践中心): where jieba may split a head."""
        return frozenset(h[i:] for h in self.heads for i in range(1, len(h)))

    @cached_property
    def tense_words(self) -> frozenset[str]:
        """The words that may say a sentence's tense: the done and the planned words."""
        return self.done_words | self.planned_words

    def only_describing(self, text: str, with_domains: bool = False) -> bool:
        """Is `text` made only of describing, industry and generic words (现代物流, 公共基础设施)?
        With `with_domains`, fields of public policy count as describing (行政管理|体制改革)."""
        cache = self._describing_cache  # names' parts recur across a report and across reports
        key = (text, with_domains)
        if key in cache:
            return cache[key]
        industry = self.industry_words
        return remember(cache, key, composed_of(text, lambda piece: piece in self.modifiers or piece in industry
                                                or piece in self.generic or with_domains and piece in self.policy_domains))

    def head_of(self, word: str) -> Head | None:
        """The longest head word that ends `word` (…有限公司, …项目, …村), if any."""
        cache = self._head_cache
        if word in cache:
            return cache[word]
        found = None
        for size in range(min(len(word), self.max_head), 0, -1):
            found = self.heads.get(word[-size:])
            if found:
                break
        return remember(cache, word, found)

    def domain_words(self) -> list[str]:
        """Words the segmenter must keep whole: division names, short forms, head words, programs."""
        words = set(self.by_name) | set(self.by_short) | set(self.heads) | set(self.programs)
        words |= set(self.industry) | set(self.list_kinds) | set(self.landmarks) | set(self.extra_words)
        for verbs in self.triggers.values():
            words |= {w for w, _ in verbs}
        return sorted(words)


# After a place that opens a project's name, these make the project the place itself, extended
# (某某机场三期配套, 某某大道北延): the project is not located in the place, and the place is not
# a second thing named.
_EXTENSION = re.compile(r"[一二三四五六七八九十\d]+期|[东南西北]延|延长|扩建|配套")


def extends_at(text: str, pos: int) -> bool:
    """Does `text` at `pos` extend the place before it (…|三期, …|北延)?"""
    return bool(_EXTENSION.match(text, pos))


@lru_cache(maxsize=16)
def composed_of(text: str, is_word, longest: int = 6) -> bool:
    """Can `text` be cut into pieces of at most `longest` characters that `is_word` accepts
    (公共|基础设施, 新办|小额贷款)? The empty text can."""
    reach = [True] + [False] * len(text)
    for end in range(1, len(text) + 1):
        reach[end] = any(reach[end - size] and is_word(text[end - size:end]) for size in range(1, min(end, longest) + 1))
    return reach[-1]


def _alternatives(words: tuple[str, ...]) -> re.Pattern:
    """A pattern matching any of `words`, the longest first where one starts another."""
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def remember(cache: dict, key, value):
    """`value`, kept in `cache` under `key` while the cache holds fewer than HEAD_CACHE_SIZE entries
    (then it stops growing, so memory stays bounded). The callers look the key up first themselves:
    on their hot paths a hit costs one dict look-up."""
    if len(cache) < HEAD_CACHE_SIZE:
        cache[key] = value
    return value


def _any_of(words: tuple[str, ...]) -> re.Pattern:
    """A pattern that finds any of `words` where one starts (`_alternatives`), or nothing when there are none."""
    return _alternatives(words) if words else re.compile(r"(?!)")


def _as_set(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(words)


def _rows(path: Path, columns: int) -> list[tuple[int, list[str]]]:
    """Tab-separated rows of a knowledge file, skipping blanks and # comments, with line numbers."""
    out = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise KnowledgeError(f"{path}: cannot read knowledge file: {exc.strerror}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < columns:
            raise KnowledgeError(f"{path}:{number}: expected {columns} tab-separated columns, got {len(cells)}: {line!r}")
        out.append((number, [c.strip() for c in cells]))
    return out


def _words(path: Path) -> list[str]:
    """Whitespace-separated words of a knowledge file without sections, comments skipped."""
    words = []
    for number, cells in _rows(path, 1):
        line = cells[0].split()
        if line and line[0].startswith("[") and line[0].endswith("]"):
            raise KnowledgeError(f"{path}:{number}: this file has no sections, got {line[0]}")
        words += line
    return words


def load_common_words(path: Path) -> frozenset[str]:
    """mined/common_words.txt (tools/mine_lexicons.py): word, number of corpus reports holding it."""
    words = set()
    for number, (word, reports, *_) in _rows(path, 2):
        if not reports.isdigit():
            raise KnowledgeError(f"{path}:{number}: expected 'word<TAB>reports', got {word!r}, {reports!r}")
        words.add(word)
    return frozenset(words)


def short_form(name: str) -> str:
    """The name without its administrative suffix (新荣区 → 新荣), or '' when too short to be safe."""
    for suffix in DIVISION_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return ""


def load_divisions(path: Path) -> dict[str, Division]:
    """Read divisions.tsv (code, name, level, parent) into a code → Division map."""
    divisions: dict[str, Division] = {}
    rows = _rows(path, 3)
    for number, cells in rows:
        if number == rows[0][0] and cells[0] == "code":
            continue
        code, name, level = cells[0], cells[1], cells[2]
        parent = cells[3] if len(cells) > 3 else ""
        if not (len(code) == 6 and code.isdigit()):
            raise KnowledgeError(f"{path}:{number}: code must be 6 digits, got {code!r}")
        if level not in LEVEL_SUBTYPE:
            raise KnowledgeError(f"{path}:{number}: level must be one of {sorted(LEVEL_SUBTYPE)}, got {level!r}")
        divisions[code] = Division(code, name, level, parent, short_form(name))
    return divisions


def _checked_type(path: Path, number: int, typ: str, subtype: str) -> None:
    """An entity type of the five, and a subtype only a place has, one of PLACE_SUBTYPES."""
    if typ not in ENTITY_TYPES:
        raise KnowledgeError(f"{path}:{number}: unknown entity type {typ!r}; expected one of {ENTITY_TYPES}")
    if typ == "Place" and subtype not in PLACE_SUBTYPES or typ != "Place" and subtype:
        allowed = f"one of {PLACE_SUBTYPES}" if typ == "Place" else "none"
        raise KnowledgeError(f"{path}:{number}: unknown subtype {subtype!r} for {typ}; expected {allowed}")


def load_rules(path: Path) -> dict[str, Rule]:
    """Read rules.tsv (rule id, stage, description): the ids every other file and the code may use."""
    rules: dict[str, Rule] = {}
    for number, cells in _rows(path, 3):
        rule_id, stage, description = cells[:3]
        stages = tuple(stage.split("+"))
        if not re.fullmatch(r"[a-z_]+(?:\.[a-z_]+)+", rule_id):
            raise KnowledgeError(f"{path}:{number}: a rule id is dotted lower-case words (head.place.town), got {rule_id!r}")
        if rule_id in rules:
            raise KnowledgeError(f"{path}:{number}: rule id {rule_id} declared twice")
        if not set(stages) <= set(RULE_STAGES) or not description:
            raise KnowledgeError(f"{path}:{number}: stage must be {' or '.join(RULE_STAGES)} (joined by +) with a description, got {stage!r}")
        rules[rule_id] = Rule(rule_id, stages, description)
    return rules


def _declared(path: Path, number: int, rule: str, rules: dict[str, Rule]) -> str:
    """`rule`, when rules.tsv declares it; a rule id nobody declared is a typo that a rule's test would miss."""
    if rule not in rules:
        raise KnowledgeError(f"{path}:{number}: rule id {rule!r} is not declared in rules.tsv")
    return rule


def load_heads(path: Path, rules: dict[str, Rule]) -> dict[str, Head]:
    heads = {}
    for number, cells in _rows(path, 4):
        word, typ, subtype, rule = cells[:4]
        _checked_type(path, number, typ, subtype)
        _declared(path, number, rule, rules)
        heads[word] = Head(word, typ, subtype, rule)
    return heads


def load_triggers(path: Path, rules: dict[str, Rule]) -> dict[str, tuple[tuple[str, str], ...]]:
    found: dict[str, list[tuple[str, str]]] = {}
    rows = _rows(path, 3)
    for number, cells in rows:
        relation, word, rule = cells[:3]
        if relation not in RELATIONS:
            raise KnowledgeError(f"{path}:{number}: unknown relation {relation!r}; expected one of {RELATIONS}")
        found.setdefault(relation, []).append((word, _declared(path, number, rule, rules)))
    _require(path, rows, "relation", TRIGGERED_RELATIONS, found)
    return {rel: tuple(sorted(words, key=lambda w: -len(w[0]))) for rel, words in found.items()}


def load_quote_rules(path: Path, rules_declared: dict[str, Rule]) -> dict[str, dict[str, str]]:
    rules: dict[str, dict[str, str]] = {kind: {} for kind in QUOTE_RULE_KINDS}
    rows = _rows(path, 3)
    for number, cells in rows:
        kind, word, rule = cells[:3]
        if kind not in rules:
            raise KnowledgeError(f"{path}:{number}: kind must be one of {sorted(rules)}, got {kind!r}")
        rules[kind][word] = _declared(path, number, rule, rules_declared)
    _require(path, rows, "kind", QUOTE_RULE_KINDS, {kind for kind, words in rules.items() if words})
    return rules


def _require(path: Path, rows: list[tuple[int, list[str]]], what: str, needed: tuple[str, ...], present) -> None:
    """Every one of `needed` has rows in the file: the rules that read them would otherwise find nothing, silently."""
    missing = [name for name in needed if name not in present]
    if missing:
        last = rows[-1][0] if rows else 0
        raise KnowledgeError(f"{path}:{last}: no rows of {what} {', '.join(missing)} (checked to the end of the file)")


def load_list_kinds(path: Path) -> dict[str, tuple[str, str]]:
    kinds = {}
    for number, cells in _rows(path, 2):
        subtype = cells[2] if len(cells) > 2 else ""
        _checked_type(path, number, cells[1], subtype)
        kinds[cells[0]] = (cells[1], subtype)
    return kinds


def load_sections(path: Path, expected: tuple[str, ...]) -> dict[str, list[str]]:
    """A word list split into [sections]: each of `expected` once, and no other (a section renamed
    or dropped would otherwise leave the rule that reads it silently without words)."""
    sections: dict[str, list[str]] = {}
    current = None
    rows = _rows(path, 1)
    for number, cells in rows:
        word = cells[0]
        if word.startswith("[") and word.endswith("]"):
            current = word[1:-1]
            if current not in expected:
                raise KnowledgeError(f"{path}:{number}: unknown section [{current}]; expected one of {', '.join(expected)}")
            if current in sections:
                raise KnowledgeError(f"{path}:{number}: section [{current}] given twice")
            sections[current] = []
        elif current is None:
            raise KnowledgeError(f"{path}:{number}: word {word!r} before any [section]")
        else:
            sections[current].append(word)
    missing = [name for name in expected if name not in sections]
    if missing:
        last = rows[-1][0] if rows else 0
        raise KnowledgeError(f"{path}:{last}: missing section(s) {', '.join(f'[{name}]' for name in missing)} (checked to the end of the file)")
    return sections


def _index(divisions: dict[str, Division], attr: str) -> dict[str, tuple[Division, ...]]:
    index: dict[str, list[Division]] = {}
    for div in divisions.values():
        key = getattr(div, attr)
        if key:
            index.setdefault(key, []).append(div)
    return {k: tuple(sorted(v, key=lambda d: d.code)) for k, v in index.items()}


def load_knowledge(data_dir: Path | str = DATA_DIR) -> Knowledge:
    """Load every knowledge file from `data_dir`, raising KnowledgeError with file:line on bad input."""
    data_dir = Path(data_dir)
    rules = load_rules(data_dir / "rules.tsv")
    divisions = load_divisions(data_dir / "divisions.tsv")
    heads = load_heads(data_dir / "heads.tsv", rules)
    generic = load_sections(data_dir / "generic.txt", GENERIC_SECTIONS)
    by_short = _index(divisions, "short")
    by_name = _index(divisions, "name")
    categories = load_sections(data_dir / "categories.txt", CATEGORY_SECTIONS)
    cues = load_sections(data_dir / "cues.txt", CUE_SECTIONS)
    reports = load_sections(data_dir / "reports.txt", REPORT_SECTIONS)
    return Knowledge(
        divisions=divisions,
        by_name=by_name,
        by_short={k: v for k, v in by_short.items() if k not in by_name},
        heads=heads,
        stop_tokens=frozenset(_words(data_dir / "stop_tokens.txt")),
        triggers=load_triggers(data_dir / "triggers.tsv", rules),
        programs=frozenset(_words(data_dir / "programs.txt")),
        generic=frozenset(generic["generic"]),
        leading=tuple(sorted(generic["leading"], key=len, reverse=True)),
        industry=tuple(sorted(_words(data_dir / "industry.txt"), key=len, reverse=True)),
        quotes=load_quote_rules(data_dir / "quotes.tsv", rules),
        list_kinds=load_list_kinds(data_dir / "lists.tsv"),
        max_head=max((len(h) for h in heads), default=0),
        modifiers=frozenset(categories["modifier"]),
        classifiers=frozenset(categories["classifier"]),
        not_programs=frozenset(categories["not_program"]),
        landmarks=load_list_kinds(data_dir / "landmarks.tsv"),
        policy_domains=frozenset(categories["policy_domain"]),
        doctrine_tails=tuple(categories["doctrine_tail"]),
        extra_words=frozenset(_words(data_dir / "words.txt")),
        common_words=load_common_words(data_dir / "mined" / "common_words.txt"),
        name_initials=frozenset(categories["name_initial"]),
        enterprise_actions=frozenset(categories["enterprise_action"]),
        directions=tuple(categories["direction"]),
        project_place_heads=tuple(categories["project_place_head"]),
        inner_words=frozenset(categories["inner"]),
        ranks=tuple(sorted(categories["rank"], key=len, reverse=True)),
        weak_heads=frozenset(categories["weak_head"]),
        not_numeral=tuple(categories["not_numeral"]),
        province_abbreviations=frozenset(categories["province_abbreviation"]),
        compass=frozenset(categories["compass"]),
        place_inner=frozenset(categories["place_inner"]),
        kind_markers=tuple(categories["kind_marker"]),
        phrase_final_heads=frozenset(categories["phrase_final_head"]),
        task_force_heads=frozenset(categories["task_force_head"]),
        task_force_openers=tuple(categories["task_force_opener"]),
        company_kinds=frozenset(categories["company_kind"]),
        relative_openers=tuple(sorted(categories["relative_opener"], key=len, reverse=True)),
        rules=rules,
        publishing_verbs=tuple(cues["publishing_verb"]),
        counted_things=tuple(cues["counted_thing"]),
        common_word_tags=frozenset(cues["common_word_tag"]),
        place_in_project_ends=tuple(cues["place_in_project_end"]),
        not_place_ends=tuple(cues["not_place_end"]),
        facility_after_names=tuple(cues["facility_after_name"]),
        route_joiners=frozenset(cues["route_joiner"]),
        rank_openers=tuple(cues["rank_opener"]),
        place_in_brand=tuple(cues["place_in_brand"]),
        function_chars=frozenset(cues["function_char"]),
        doc_titles=tuple(cues["doc_title"]),
        quote_joiners=tuple(cues["quote_joiner"]),
        final_joiners=tuple(cues["final_joiner"]),
        after_prefixes=tuple(cues["after_prefix"]),
        negations=frozenset(cues["negation"]),
        short_water_heads=frozenset(cues["short_water_head"]),
        school_heads=tuple(cues["school_head"]),
        built_markers=tuple(cues["built_marker"]),
        brand_not_first=frozenset(cues["brand_not_first"]),
        brand_not_last=frozenset(cues["brand_not_last"]),
        city_own_openers=tuple(cues["city_own_opener"]),
        capacity_starts=tuple(cues["capacity_start"]),
        place_chars=frozenset(cues["place_char"]),
        not_item_endings=tuple(cues["not_item_ending"]),
        investment_openers=tuple(cues["investment_opener"]),
        thresholds=tuple(cues["threshold"]),
        report_kinds=tuple(sorted(reports["report_kind"], key=len, reverse=True)),
        plan_headings=tuple(reports["plan_heading"]),
        review_headings=tuple(reports["review_heading"]),
        far_headings=tuple(reports["far_heading"]),
        done_words=frozenset(reports["done"]),
        planned_words=frozenset(reports["planned"]),
        tense_negations=frozenset(reports["negation"]),
    )


@lru_cache(maxsize=4)
def default_knowledge() -> Knowledge:
    """The knowledge shipped with kg, loaded once per process."""
    return load_knowledge(DATA_DIR)
