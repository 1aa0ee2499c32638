// Material for MkDocs' script after each page's content (its partials/javascripts/content.html), in a
// file so that the Content-Security-Policy allows no inline script: it opens a tab a link points at.
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
