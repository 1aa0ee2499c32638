// Material for MkDocs' script from the top of every page (its partials/javascripts/base.html), in a file
// so that the Content-Security-Policy allows no inline script. Material printed the scope into the code;
// here it comes from the script element's data-md-scope (docs/overrides/partials/javascripts/base.html).
__md_scope=new URL(document.currentScript.dataset.mdScope,location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}
