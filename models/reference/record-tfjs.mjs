#!/usr/bin/env node
// Records models/<name>/reference.json for every "tfjs-graph" manifest: runs the ORIGINAL TF.js graph model with
// @tensorflow/tfjs-converter on tfjs-core's CPU backend, on the contract's pattern input ("frameline-pattern-v1",
// models/CONTRACT.md section 3, given NHWC as the original runtime expects), and writes the sampled outputs
// (section 4). These files are parity fixtures for models/convert.py and the C++ runtime.
//
//   deps:  npm install --prefix "${XDG_CACHE_HOME:-$HOME/.cache}/frameline/npm/tfjs-reference" \
//              $(node -p "Object.entries(require('./models/reference/package.json').dependencies).map(([k,v])=>k+'@'+v).join(' ')")
//          (models/convert.py --record does this for you)
//   run:   node models/reference/record-tfjs.mjs [--only NAME] [--deps DIR] [--npm-cache DIR] [--time [--no-write]]
//
// The npm packages with the weights are the ones convert.py unpacked: <npm-cache>/<slug>-<version>/package.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const modelsDir = path.resolve(here, '..');
const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const only = arg('--only', null);
const depsDir = arg('--deps', path.join(cacheHome, 'frameline', 'npm', 'tfjs-reference'));
const npmCache = arg('--npm-cache', path.join(cacheHome, 'frameline', 'npm'));
const timeIt = process.argv.includes('--time');
const noWrite = process.argv.includes('--no-write'); // with --time: only measure

const requireDeps = createRequire(path.join(depsDir, 'package.json'));
const tf = requireDeps('@tensorflow/tfjs-core');
requireDeps('@tensorflow/tfjs-backend-cpu');
const tfconv = requireDeps('@tensorflow/tfjs-converter');
const requireAny = createRequire(import.meta.url);
const version = requireDeps('@tensorflow/tfjs-core/package.json').version;

// ---- the contract's pattern (section 3), NHWC for the original runtime --------------------------------------------
function patternNHWC(shapeNCHW, scale, offset) {
  const [n, c, h, w] = shapeNCHW;
  const per = (v) => (Array.isArray(v) ? v : new Array(c).fill(v));
  const s = per(scale), o = per(offset);
  const out = new Float32Array(n * h * w * c);
  let i = 0;
  for (let bn = 0; bn < n; bn++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let ch = 0; ch < c; ch++) {
          const v = 0.5 + 0.5 * Math.sin(0.37 * (ch + 1) + 0.113 * y + 0.071 * x + 1.3 * bn) * Math.cos(0.029 * y - 0.047 * x);
          const pixel = Math.floor(255 * v + 0.5); // round half away from zero (v >= 0)
          out[i++] = pixel * s[ch] + o[ch]; // computed in double, stored as float32
        }
  return tf.tensor(out, [n, h, w, c], 'float32');
}

// ---- reading the published files (plain JSON/bin, or nsfwjs's UMD-wrapped *.min.js) ------------------------------
function readModelJson(file) {
  if (file.endsWith('.js')) return requireAny(file);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}
function readShard(file) {
  if (fs.existsSync(file)) return fs.readFileSync(file);
  const wrapped = `${file}.min.js`;
  if (fs.existsSync(wrapped)) return Buffer.from(requireAny(wrapped), 'base64');
  throw new Error(`weight shard ${file} not found`);
}
function ioHandler(modelFile) {
  const json = readModelJson(modelFile);
  const dir = path.dirname(modelFile);
  return {
    load: async () => {
      const buffers = [];
      const specs = [];
      for (const group of json.weightsManifest) {
        for (const p of group.paths) buffers.push(readShard(path.join(dir, p)));
        specs.push(...group.weights);
      }
      const all = Buffer.concat(buffers);
      const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
      return {
        modelTopology: json.modelTopology,
        weightSpecs: specs,
        weightData,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        userDefinedMetadata: json.userDefinedMetadata,
        signature: json.signature,
        modelInitializer: json.modelInitializer,
      };
    },
  };
}

// ---- sampling (section 4) -----------------------------------------------------------------------------------------
function record(name, tensor) {
  const values = tensor.dataSync();
  const size = values.length;
  let maxAbs = 0, argmax = 0, argmin = 0;
  for (let i = 0; i < size; i++) {
    const v = values[i];
    if (Math.abs(v) > maxAbs) maxAbs = Math.abs(v);
    if (v > values[argmax]) argmax = i;
    if (v < values[argmin]) argmin = i;
  }
  const idx = [];
  for (let k = 0; k < 256; k++) idx.push(Math.floor((k * size) / 256));
  idx.push(argmax, argmin);
  return { name, shape: tensor.shape, max_abs: maxAbs, samples: idx.map((i) => [i, values[i]]) };
}

function packageDir(source) {
  const slug = `${source.package.replace(/^@/, '').replace('/', '-')}-${source.version}`;
  return path.join(npmCache, slug, 'package');
}

async function main() {
  await tf.setBackend('cpu');
  await tf.ready();
  const names = fs.readdirSync(modelsDir).filter((d) => fs.existsSync(path.join(modelsDir, d, 'manifest.json'))).sort();
  let done = 0;
  for (const dir of names) {
    const manifest = JSON.parse(fs.readFileSync(path.join(modelsDir, dir, 'manifest.json'), 'utf8'));
    if (manifest.format !== 'tfjs-graph' || (only && manifest.name !== only)) continue;
    const pkg = packageDir(manifest.source);
    const modelFile = path.join(pkg, manifest.source.files[0]);
    if (!fs.existsSync(modelFile)) throw new Error(`${manifest.name}: ${modelFile} missing; run models/convert.py first (it fetches the npm package)`);
    const model = await tfconv.loadGraphModel(ioHandler(modelFile));
    const input = patternNHWC(manifest.input.shape, manifest.input.scale, manifest.input.offset);
    const nodes = manifest.outputs.map((o) => o.tfjs_node);
    let outs = model.execute(input, nodes);
    if (!Array.isArray(outs)) outs = [outs];
    const doc = {
      input: 'frameline-pattern-v1',
      input_shape: manifest.input.shape,
      runtime: `@tensorflow/tfjs-core ${version} (cpu backend)`,
      rtol: 1e-4,
      outputs: manifest.outputs.map((o, i) => record(o.name, outs[i])),
    };
    const file = path.join(modelsDir, dir, manifest.reference || 'reference.json');
    if (!noWrite) fs.writeFileSync(file, `${JSON.stringify(doc)}\n`);
    let timing = '';
    if (timeIt) {
      const runs = [];
      for (let r = 0; r < 5; r++) {
        const t0 = performance.now();
        const o = model.execute(input, nodes);
        (Array.isArray(o) ? o : [o]).forEach((t) => { t.dataSync(); t.dispose(); });
        runs.push(performance.now() - t0);
      }
      runs.sort((a, b) => a - b);
      timing = `, tfjs cpu median ${runs[2].toFixed(0)} ms, min ${runs[0].toFixed(0)} ms per image`;
    }
    console.log(`${manifest.name}: ${noWrite ? 'measured' : 'wrote'} ${path.relative(process.cwd(), file)} (${fs.statSync(file).size} bytes${timing})`);
    tf.dispose([input, ...outs]);
    model.dispose();
    done++;
  }
  if (only && done === 0) throw new Error(`no tfjs-graph manifest named ${only}`);
}

main().catch((e) => { console.error(`record-tfjs: ${e.message}`); process.exit(1); });
