const fs=require("fs");const dir=process.argv[2];const names=process.argv.slice(3);
const f=fs.readdirSync(dir).map(f=>[f,fs.statSync(dir+"/"+f).size]).sort((a,b)=>b[1]-a[1])[0][0];
const p=JSON.parse(fs.readFileSync(dir+"/"+f));
const byId=new Map(p.nodes.map(n=>[n.id,n]));const parent=new Map();
for(const n of p.nodes)for(const c of n.children||[])parent.set(c,n.id);
const incl=new Map();let tot=0;
p.samples.forEach((s,i)=>{const dt=p.timeDeltas[i]||0;const n0=byId.get(s);if(n0.callFrame.functionName==="(idle)")return;tot+=dt;const seen=new Set();
for(let id=s;id!==undefined;id=parent.get(id)){const fn=byId.get(id).callFrame.functionName;if(names.includes(fn)&&!seen.has(fn)){seen.add(fn);incl.set(fn,(incl.get(fn)||0)+dt);}}});
for(const n of names)console.log(((incl.get(n)||0)/tot*100).toFixed(1)+"%",n);
