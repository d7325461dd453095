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

LEVEL_SUBTYPE = {"province": "Province", "city": "City", "county": "District"}
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
    project_modifiers: frozenset[str] = field(default=frozenset())  # 战略性, 安置: the same for projects
    classifiers: frozenset[str] = field(default=frozenset())  # 个, 批: 6个…项目 counts a kind
    not_programs: frozenset[str] = field(default=frozenset())  # 四个意识: doctrines, not programs
    landmarks: dict[str, tuple[str, str]] = field(default_factory=dict)  # 黄河 → (Place, Water)
    policy_domains: frozenset[str] = field(default=frozenset())  # 行政管理, 财政: fields, not names
    doctrine_tails: tuple[str, ...] = ()  # 共识, 作风: numbered sayings, not programs
    extra_words: frozenset[str] = field(default=frozenset())  # 市域: kept whole by the segmenter
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
    relative_openers: tuple[str, ...] = ()  # 市, 县: 市人民医院 is the report's own city's
    # head_of is asked about every token of every document: the same words, again and again
    _head_cache: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def industry_words(self) -> frozenset[str]:
        """The industry words as a set, for membership tests."""
        return _as_set(self.industry)

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

    def only_describing(self, text: str, with_domains: bool = False) -> bool:
        """Is `text` made only of describing, industry and generic words (现代物流, 公共基础设施)?
        With `with_domains`, fields of public policy count as describing (行政管理|体制改革)."""
        industry = self.industry_words
        return composed_of(text, lambda piece: piece in self.modifiers or piece in industry or piece in self.generic
                           or with_domains and piece in self.policy_domains)

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
        if len(cache) < HEAD_CACHE_SIZE:
            cache[word] = found
        return found

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
    """Whitespace-separated words of a knowledge file, comments skipped."""
    return [w for _, cells in _rows(path, 1) for w in cells[0].split()]


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


def load_heads(path: Path) -> dict[str, Head]:
    heads = {}
    for number, cells in _rows(path, 4):
        word, typ, subtype, rule = cells[:4]
        if typ not in ENTITY_TYPES:
            raise KnowledgeError(f"{path}:{number}: unknown entity type {typ!r}; expected one of {ENTITY_TYPES}")
        heads[word] = Head(word, typ, subtype, rule)
    return heads


def load_triggers(path: Path) -> dict[str, tuple[tuple[str, str], ...]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for number, cells in _rows(path, 3):
        relation, word, rule = cells[:3]
        if relation not in RELATIONS:
            raise KnowledgeError(f"{path}:{number}: unknown relation {relation!r}; expected one of {RELATIONS}")
        found.setdefault(relation, []).append((word, rule))
    return {rel: tuple(sorted(words, key=lambda w: -len(w[0]))) for rel, words in found.items()}


def load_quote_rules(path: Path) -> dict[str, dict[str, str]]:
    rules: dict[str, dict[str, str]] = {kind: {} for kind in QUOTE_RULE_KINDS}
    for number, cells in _rows(path, 3):
        kind, word, rule = cells[:3]
        if kind not in rules:
            raise KnowledgeError(f"{path}:{number}: kind must be one of {sorted(rules)}, got {kind!r}")
        rules[kind][word] = rule
    return rules


def load_list_kinds(path: Path) -> dict[str, tuple[str, str]]:
    kinds = {}
    for number, cells in _rows(path, 2):
        if cells[1] not in ENTITY_TYPES:
            raise KnowledgeError(f"{path}:{number}: unknown entity type {cells[1]!r}; expected one of {ENTITY_TYPES}")
        kinds[cells[0]] = (cells[1], cells[2] if len(cells) > 2 else "")
    return kinds


def load_sections(path: Path) -> dict[str, list[str]]:
    """A word list split into [sections]."""
    sections: dict[str, list[str]] = {}
    current = None
    for number, cells in _rows(path, 1):
        word = cells[0]
        if word.startswith("[") and word.endswith("]"):
            current = word[1:-1]
            sections[current] = []
        elif current is None:
            raise KnowledgeError(f"{path}:{number}: word {word!r} before any [section]")
        else:
            sections[current].append(word)
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
    divisions = load_divisions(data_dir / "divisions.tsv")
    heads = load_heads(data_dir / "heads.tsv")
    generic = load_sections(data_dir / "generic.txt")
    by_short = _index(divisions, "short")
    by_name = _index(divisions, "name")
    categories = load_sections(data_dir / "categories.txt")
    return Knowledge(
        divisions=divisions,
        by_name=by_name,
        by_short={k: v for k, v in by_short.items() if k not in by_name},
        heads=heads,
        stop_tokens=frozenset(_words(data_dir / "stop_tokens.txt")),
        triggers=load_triggers(data_dir / "triggers.tsv"),
        programs=frozenset(_words(data_dir / "programs.txt")),
        generic=frozenset(generic.get("generic", [])),
        leading=tuple(sorted(generic.get("leading", []), key=len, reverse=True)),
        industry=tuple(sorted(_words(data_dir / "industry.txt"), key=len, reverse=True)),
        quotes=load_quote_rules(data_dir / "quotes.tsv"),
        list_kinds=load_list_kinds(data_dir / "lists.tsv"),
        max_head=max((len(h) for h in heads), default=0),
        modifiers=frozenset(categories.get("modifier", [])),
        project_modifiers=frozenset(categories.get("project_modifier", [])),
        classifiers=frozenset(categories.get("classifier", [])),
        not_programs=frozenset(categories.get("not_program", [])),
        landmarks=load_list_kinds(data_dir / "landmarks.tsv"),
        policy_domains=frozenset(categories.get("policy_domain", [])),
        doctrine_tails=tuple(categories.get("doctrine_tail", [])),
        extra_words=frozenset(_words(data_dir / "words.txt")),
        name_initials=frozenset(categories.get("name_initial", [])),
        enterprise_actions=frozenset(categories.get("enterprise_action", [])),
        directions=tuple(categories.get("direction", [])),
        project_place_heads=tuple(categories.get("project_place_head", [])),
        inner_words=frozenset(categories.get("inner", [])),
        ranks=tuple(sorted(categories.get("rank", []), key=len, reverse=True)),
        weak_heads=frozenset(categories.get("weak_head", [])),
        not_numeral=tuple(categories.get("not_numeral", [])),
        province_abbreviations=frozenset(categories.get("province_abbreviation", [])),
        compass=frozenset(categories.get("compass", [])),
        place_inner=frozenset(categories.get("place_inner", [])),
        kind_markers=tuple(categories.get("kind_marker", [])),
        phrase_final_heads=frozenset(categories.get("phrase_final_head", [])),
        task_force_heads=frozenset(categories.get("task_force_head", [])),
        task_force_openers=tuple(categories.get("task_force_opener", [])),
        company_kinds=frozenset(categories.get("company_kind", [])),
        relative_openers=tuple(sorted(categories.get("relative_opener", []), key=len, reverse=True)),
    )


@lru_cache(maxsize=4)
def default_knowledge() -> Knowledge:
    """The knowledge shipped with kg, loaded once per process."""
    return load_knowledge(DATA_DIR)
