"""Names of the data files bundled in ``polycorpus/data`` that more than one module reads."""

# An empty stanza resources index: with it stanza loads exactly the model files it is given,
# outside a resources folder, and never looks for (or downloads) anything else.
STANZA_EMPTY_RESOURCES = ("data", "stanza", "resources.json")
