#!/usr/bin/env python3
"""The Debian packages whose shared libraries a binary needs (DT_NEEDED, transitively), minus the ones the GPU host
brings itself: FFmpeg (built there), LibTorch (pip torch there) and the C/C++ runtime. Prints one package a line.
usage: lib_closure.py BINARY..."""
import os, re, subprocess, sys

SKIP_SONAME = re.compile(r'^(libav(codec|format|util|device|filter)|libsw(scale|resample)|libpostproc|'
                         r'libtorch\w*|libc10\w*|libshm|libcaffe2\w*|'
                         r'libc|libm|libdl|libpthread|librt|libresolv|libutil|ld-linux.*|libstdc\+\+|libgcc_s|libgomp|'
                         r'libz|linux-vdso)\.so')
paths = {}
for line in subprocess.run(['ldconfig', '-p'], capture_output=True, text=True).stdout.splitlines()[1:]:
    m = re.match(r'\s*(\S+) \(([^)]*)\) => (\S+)', line)
    if m and 'x86-64' in m.group(2): paths.setdefault(m.group(1), m.group(3))

def needed(path):
    out = subprocess.run(['readelf', '-d', path], capture_output=True, text=True).stdout
    return re.findall(r'\(NEEDED\)\s+Shared library: \[([^\]]+)\]', out)

seen, todo, files = set(), [], set()
for b in sys.argv[1:]: todo += needed(b)
while todo:
    so = todo.pop()
    if so in seen or SKIP_SONAME.match(so): continue
    seen.add(so)
    p = paths.get(so)
    if not p: print(f'# not found: {so}', file=sys.stderr); continue
    files.add(os.path.realpath(p))
    todo += needed(p)
pkgs = set()
for f in sorted(files):
    r = subprocess.run(['dpkg', '-S', f], capture_output=True, text=True)
    if r.returncode != 0:  # /lib -> /usr/lib merge: dpkg knows one of the two spellings
        alt = f.replace('/usr/lib/', '/lib/', 1) if f.startswith('/usr/lib/') else f
        r = subprocess.run(['dpkg', '-S', alt], capture_output=True, text=True)
    if r.returncode == 0: pkgs.add(r.stdout.split(':')[0].strip())
    else: print(f'# no package: {f}', file=sys.stderr)
print('\n'.join(sorted(pkgs)))
