"""Pictures of the graph: what `belkg viz` and `belkg timeline` draw.

`viz` chooses the view and writes it; `network` builds the networkx views; `drawing`
draws PNG and SVG; `interactive` writes the self-contained HTML page; `interchange`
writes GraphML and GEXF; `timeline` puts events on a time axis.
"""
