"""Views: what each kind of page prints, computed from the Catalog in plain, typed Python.

A view function takes the Catalog (or the build's SiteState) and one entry, and returns a frozen object
holding every list, facet, count, label and address the page's template prints, already sorted and
worded, so that templates only print fields and loop (as endoflife.date's enricher precomputes values
"so that it can be easily consumed in layouts"). Nothing here knows about Jinja or MkDocs; tests call
the view functions directly.

  parts      the pieces several views share: links, search filters, filter facets, labels
  entries    the pattern, case study, playbook and session pages
  council    a council's page
  neighbour_lists  who else is doing this: the council and pattern pages' lists from the build's neighbours
  indexes    the index pages of each kind, with their filters
  home       the home page: counts, recently updated, what's new
  dashboard  the Declaration dashboard (its charts are commons.site.charts)
"""
