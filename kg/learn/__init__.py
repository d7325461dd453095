"""The learned parts of extraction: a character tagger and a relation classifier, trained on gold annotations.

`gold` reads annotated documents and places their names in the text; `features` describes each
character for the tagger; `tagger` and `pairs` hold the two models; `model` bundles them into the
file kg ships; `train` fits and cross-validates them.
"""
