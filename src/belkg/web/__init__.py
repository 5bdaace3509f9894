"""belkg in a browser: `belkg serve` (pages, a SPARQL endpoint, linked data) and `belkg
site` (the same pages as static files), over the same library calls as the CLI."""
