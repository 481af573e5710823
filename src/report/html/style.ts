/**
 * The report's stylesheet, inline. Status colours match the terminal strips; sizes are small so that two
 * hundred jobs over thirty days stay a page that mails well.
 */
export const STYLE = `
:root{--success:#2f9e44;--failed:#d9383a;--error:#c92a2a;--lost:#a61e4d;--timeout:#ae3ec9;--killed:#f08c00;--running:#1c7ed6;--skipped:#adb5bd;--none:#eef0f2}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;padding:1em 1.5em;max-width:1200px;color:#212529;background:#fff}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.15em;margin:1.4em 0 .5em;border-bottom:1px solid #dee2e6}
h3{font-size:1.05em;margin:0 0 .4em;overflow-wrap:anywhere}h4{font-size:.9em;margin:.6em 0 .2em;font-weight:600}
.meta{color:#495057;margin:0}.bad{color:var(--failed);font-weight:600}
.scroll{overflow-x:auto}
table.grid{border-collapse:separate;border-spacing:2px;font-size:12px}
.grid th{font-weight:normal;text-align:right;padding:0 .6em 0 0;white-space:nowrap;max-width:22em;overflow:hidden;text-overflow:ellipsis}
.grid th.d{text-align:center;padding:0;color:#868e96;font-size:10px;min-width:14px}
.grid td.c{width:14px;min-width:14px;height:14px;padding:0;border-radius:2px;font-size:9px;color:#fff;text-align:center}
.hosts .jobs{font-size:10px;color:#868e96;white-space:normal}
.c.success{background:var(--success)}.c.failed{background:var(--failed)}.c.error{background:var(--error)}.c.lost{background:var(--lost)}
.c.timeout{background:var(--timeout)}.c.killed{background:var(--killed)}.c.running{background:var(--running)}.c.skipped{background:var(--skipped)}.c.none{background:var(--none)}
.legend{font-size:12px;color:#495057}.key{margin-right:1em;white-space:nowrap}.key i{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:4px;vertical-align:-1px}
.flag{display:inline-block;margin-left:.4em;padding:0 .4em;border-radius:3px;font-size:10px;font-weight:600;color:#fff;background:var(--failed);vertical-align:1px}
.flag.overdue{background:var(--killed)}.flag.stuck,.flag.overrun{background:var(--timeout)}
tr.open th a{font-weight:600}
section.job{border:1px solid #dee2e6;border-radius:6px;padding:.8em 1em;margin:0 0 1em}
.problems{margin:.2em 0 .6em;padding-left:1.2em;color:var(--failed)}
dl.facts{display:grid;grid-template-columns:max-content auto max-content auto max-content auto;gap:.15em .8em;margin:0 0 .6em;font-size:13px}
dl.facts dt{color:#868e96}dl.facts dd{margin:0}
.st.success{color:var(--success)}.st.failed,.st.error,.st.lost{color:var(--failed)}.st.timeout{color:var(--timeout)}.st.killed{color:var(--killed)}
svg.chart{display:block;max-width:100%;height:auto;font-size:10px}
.chart .grid{stroke:#e9ecef}.chart .ylabel{text-anchor:end;fill:#868e96}.chart .xlabel{text-anchor:middle;fill:#868e96}
.chart .band{fill:#1c7ed6;fill-opacity:.22;stroke:none}.chart .p50{fill:none;stroke:#1c7ed6;stroke-width:1.5}.chart .pt{fill:#1c7ed6}
.chart .mk-fail{fill:var(--failed)}.chart .mk-timeout{fill:var(--timeout)}
details.failures summary{cursor:pointer;color:#495057}details.failures ol{padding-left:1.2em}
pre.tail{white-space:pre-wrap;overflow-wrap:anywhere;max-height:16em;overflow:auto;background:#f8f9fa;border:1px solid #e9ecef;padding:.5em;font-size:12px;margin:.2em 0}
.cut,.reason{font-size:12px;color:#868e96;margin:0}
@media (max-width:700px){dl.facts{grid-template-columns:max-content auto}}
`.trim();
