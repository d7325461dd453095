"""kg's ontology terms as a closed namespace: a misspelt term fails loudly (kept in sync with ontology/kg.ttl)."""
from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

from .iri import BASE


class KGO(DefinedNamespace):
    """Terms of https://kg.example.org/ontology# (see ontology/kg.ttl)."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes
    Entity: URIRef
    Company: URIRef
    Project: URIRef
    Place: URIRef
    Program: URIRef
    Organization: URIRef
    Investment: URIRef
    Document: URIRef
    Sentence: URIRef
    # relations between entities
    locatedIn: URIRef
    operatedBy: URIRef
    implements: URIRef
    hasInvestment: URIRef
    # data properties
    amountYuan: URIRef
    wording: URIRef
    divisionCode: URIRef
    placeType: URIRef
    text: URIRef
    startChar: URIRef
    endChar: URIRef
    inDocument: URIRef
    sentenceIndex: URIRef
    mentionedIn: URIRef
    namedIn: URIRef
    rule: URIRef
    basis: URIRef
    subjectOf: URIRef
    tense: URIRef
