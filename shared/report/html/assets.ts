/** Inline CSS and JS of the HTML report: no network, no external file (the report is one file). */
export const STYLES = `
:root{--bg:#f6f7f9;--card:#fff;--ink:#1d2330;--muted:#5d6577;--line:#e2e5ea;--critical:#7b1fa2;--high:#c62828;--medium:#ef6c00;--low:#1565c0;--info:#607d8b;--ok:#2e7d32;--unknown:#00838f;--error:#6d4c41;--warn-bg:#fff4e5}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--ink)}
header{background:#1d2330;color:#fff;padding:20px 32px}
header h1{margin:0 0 4px;font-size:22px}
header .meta{color:#b9c0cf;font-size:13px}
header code{background:#2d3546;color:#e6e9ef}
td.num{white-space:nowrap}
main{padding:20px 32px;max-width:1400px}
h2{font-size:17px;margin:28px 0 10px}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 16px;min-width:120px}
.card .n{font-size:26px;font-weight:700}
.card .l{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card.critical .n{color:var(--critical)}.card.high .n{color:var(--high)}.card.medium .n{color:var(--medium)}.card.low .n{color:var(--low)}.card.info .n{color:var(--info)}
.card.score .n{color:var(--ok)}
table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line);border-radius:8px;overflow:hidden}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:#eef0f4;font-size:12px;text-transform:uppercase;letter-spacing:.03em;color:var(--muted)}
.sev{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;font-weight:600;color:#fff;text-transform:uppercase}
.sev.critical{background:var(--critical)}.sev.high{background:var(--high)}.sev.medium{background:var(--medium)}.sev.low{background:var(--low)}.sev.info{background:var(--info)}
.status{font-size:12px;font-weight:600}.status.PARTIAL{color:var(--medium)}.status.UNKNOWN{color:var(--unknown)}.status.ERROR{color:var(--error)}.status.OK{color:var(--ok)}
.badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;font-weight:600;color:#fff;text-transform:uppercase}.badge.UNKNOWN{background:var(--unknown)}.badge.ERROR{background:var(--error)}
.incomplete{background:var(--warn-bg);border:1px solid var(--medium);border-radius:8px;padding:10px 16px;margin:0 0 16px}.incomplete ul{margin:6px 0 0}
.card.score.incomplete .n{color:var(--medium)}
.bar{position:relative;height:8px;width:90px;background:#e7e9ee;border-radius:4px;display:inline-block;margin-right:8px;vertical-align:middle}
.bar i{position:absolute;left:0;top:0;bottom:0;background:var(--ok);border-radius:4px}
.na{color:var(--muted)}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#eef0f4;border-radius:3px;padding:0 3px}
.filters{position:sticky;top:0;background:var(--bg);padding:10px 0;display:flex;gap:16px;align-items:center;flex-wrap:wrap;border-bottom:1px solid var(--line);z-index:1}
.filters label{user-select:none}
.target-group{margin:14px 0;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:4px 14px 10px}
.target-group>h3{font-size:15px;margin:10px 0}
.ns-group>h4{font-size:13px;margin:10px 0 6px;color:var(--muted)}
.res-group{margin:0 0 10px 0}
.res-group>h5{font-size:13px;margin:6px 0}
.res-group table{border-radius:4px}
details.fix summary{cursor:pointer;color:var(--low);font-size:12px}
details.fix p{margin:4px 0;color:var(--muted)}
.evidence{color:var(--muted);font-size:12px}
.hidden{display:none!important}
footer{color:var(--muted);font-size:12px;padding:24px 32px}
`;

/**
 * Client-side filters by severity and control: rows carry data-severity/data-control; groups left
 * without a visible row are hidden and the counter says how many findings are shown. It only
 * toggles classes and textContent, so nothing from the data is ever parsed as HTML.
 */
export const SCRIPT = `
(function(){
  var sevBoxes=[].slice.call(document.querySelectorAll('input[name="severity"]'));
  var control=document.getElementById('filter-control');
  var shown=document.getElementById('shown-count');
  function apply(){
    var sevs={};sevBoxes.forEach(function(b){if(b.checked)sevs[b.value]=true;});
    var c=control.value;var n=0;
    [].slice.call(document.querySelectorAll('tr.finding')).forEach(function(tr){
      var ok=sevs[tr.getAttribute('data-severity')]&&(!c||tr.getAttribute('data-control')===c);
      tr.classList.toggle('hidden',!ok);
      if(ok&&tr.getAttribute('data-exempted')!=='true')n++;
    });
    ['.res-group','.ns-group','.target-group','.exempted-block'].forEach(function(sel){
      [].slice.call(document.querySelectorAll(sel)).forEach(function(g){
        g.classList.toggle('hidden',!g.querySelector('tr.finding:not(.hidden)'));
      });
    });
    shown.textContent=String(n);
  }
  sevBoxes.forEach(function(b){b.addEventListener('change',apply);});
  control.addEventListener('change',apply);
  apply();
})();
`;
