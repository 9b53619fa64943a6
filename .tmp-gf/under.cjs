const fs=require("fs");const dir=process.argv[2];const root=process.argv[3];
const f=fs.readdirSync(dir).map(f=>[f,fs.statSync(dir+"/"+f).size]).sort((a,b)=>b[1]-a[1])[0][0];
const p=JSON.parse(fs.readFileSync(dir+"/"+f));
const byId=new Map(p.nodes.map(n=>[n.id,n]));const parent=new Map();
for(const n of p.nodes)for(const c of n.children||[])parent.set(c,n.id);
const self=new Map();let tot=0;
p.samples.forEach((s,i)=>{const dt=p.timeDeltas[i]||0;let under=false;for(let id=s;id!==undefined;id=parent.get(id)){if(byId.get(id).callFrame.functionName===root){under=true;break;}}
if(!under)return;tot+=dt;const n=byId.get(s);const k=n.callFrame.functionName+" "+n.callFrame.url.split("/").slice(-2).join("/")+":"+n.callFrame.lineNumber;self.set(k,(self.get(k)||0)+dt);});
[...self].sort((a,b)=>b[1]-a[1]).slice(0,20).forEach(([k,t])=>console.log((t/tot*100).toFixed(1)+"%",k));
