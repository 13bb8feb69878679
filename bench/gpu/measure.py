#!/usr/bin/env python3
"""The measurements of bench/gpu/run.sh, all in one run, into one JSON report (rewritten after every stage, so that
a stage that fails or a run that is cut short still leaves what was measured, with the error).

Stages: FFmpeg decode-only (hardware and software, 1 and N streams in parallel), `frameline-cli shots` (1 and N
titles), `frameline-cli ingest` (1 and N titles, one SQLite file each), `frameline-cli models bench`; then the ratios the
targets of issue #10 name: full ingest / decode-only at 1 and N streams (target >= 0.8 each).
fps = frames / wall seconds; for N in parallel, all frames of all N / the wall time from the first start to the
last end. Each stage has its own time limit, cut to what is left of --budget-s.
"""
import argparse, json, os, re, shutil, signal, subprocess, sys, time

p = argparse.ArgumentParser()
p.add_argument('--ffmpeg', required=True)
p.add_argument('--cli', required=True)
p.add_argument('--title', required=True, help='the title every stage decodes')
p.add_argument('--streams', default='1,7', help='stream counts, e.g. 1,7')
p.add_argument('--hwaccel', default='cuda', help="FFmpeg's -hwaccel for the hardware decode-only stage; none: skip it")
p.add_argument('--device', default='cuda', help="ingest and models bench --device")
p.add_argument('--decoder', default='nvdec', help='frameline-cli --decoder')
p.add_argument('--ingest-args', default='--skip transcript', help='more ingest options')
p.add_argument('--zoo-batches', default='1,64,256', help='models bench --batch')
p.add_argument('--budget-s', type=float, default=300, help='all stages together')
p.add_argument('--child-ld-library-path', default='', help="LD_LIBRARY_PATH of the programs run (not of python)")
p.add_argument('--work', default='/tmp/fl-run')
p.add_argument('--logs', required=True)
p.add_argument('--out', required=True)
p.add_argument('--merge', action='append', default=[], help='NAME=FILE.json: put that JSON under NAME')
p.add_argument('--mode', default='gpu')
p.add_argument('--stages', default='decode,shots,ingest,zoo', help='which to run (without the zoo: decode,shots)')
a = p.parse_args()

T0 = time.monotonic()
os.makedirs(a.logs, exist_ok=True)
os.makedirs(a.work, exist_ok=True)
ENV = dict(os.environ)
if a.child_ld_library_path:
    ENV['LD_LIBRARY_PATH'] = a.child_ld_library_path + (':' + ENV['LD_LIBRARY_PATH'] if ENV.get('LD_LIBRARY_PATH') else '')
STREAMS = [int(s) for s in a.streams.split(',') if s]
report = {'mode': a.mode, 'started_utc': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()),
          'title': {'file': a.title}, 'system': {}, 'stages': {}, 'ratios': {}, 'notes': []}
for m in a.merge:
    name, _, f = m.partition('=')
    try:
        with open(f) as fh: report[name] = json.load(fh)
    except Exception as e:  # a missing build report is itself a finding
        report[name] = {'error': f'{f}: {e}'}


def save():
    report['wall_s'] = round(time.monotonic() - T0, 1)
    tmp = a.out + '.tmp'
    with open(tmp, 'w') as fh: json.dump(report, fh, indent=2)
    os.replace(tmp, a.out)


def left():
    return a.budget_s - (time.monotonic() - T0)


def sh(cmd, timeout=20):
    try:
        r = subprocess.run(cmd, shell=isinstance(cmd, str), capture_output=True, text=True, timeout=timeout, env=ENV)
        return (r.stdout.strip() or r.stderr.strip()) if r.returncode == 0 else f'error {r.returncode}: {(r.stderr or r.stdout).strip()[:300]}'
    except Exception as e:
        return f'error: {e}'


def run_parallel(name, cmds, limit_s):
    """Starts every command at once (own process group each), waits for all or the limit; returns per-process
    (rc, seconds, stdout, stderr) and the wall time from the first start to the last end."""
    limit = max(5.0, min(limit_s, left() - 5))
    procs, t_start = [], time.monotonic()
    for i, cmd in enumerate(cmds):
        out = open(os.path.join(a.logs, f'{name}-{i}.out'), 'w+')
        err = open(os.path.join(a.logs, f'{name}-{i}.err'), 'w+')
        with open(os.path.join(a.logs, f'{name}-{i}.cmd'), 'w') as fh: fh.write(' '.join(cmd) + '\n')
        procs.append((subprocess.Popen(cmd, stdout=out, stderr=err, env=ENV, start_new_session=True), out, err))
    ends = [None] * len(procs)
    while any(e is None for e in ends):
        now = time.monotonic()
        for i, (pr, _, _) in enumerate(procs):
            if ends[i] is None and pr.poll() is not None: ends[i] = now
        if now - t_start > limit:
            for i, (pr, _, _) in enumerate(procs):
                if ends[i] is None:
                    try: os.killpg(pr.pid, signal.SIGKILL)
                    except ProcessLookupError: pass
                    pr.wait(); ends[i] = time.monotonic()
            break
        time.sleep(0.005)
    timed_out = time.monotonic() - t_start > limit
    res = []
    for i, (pr, out, err) in enumerate(procs):
        out.seek(0); err.seek(0)
        res.append({'rc': pr.returncode, 's': ends[i] - t_start, 'stdout': out.read(), 'stderr': err.read()})
        out.close(); err.close()
    wall = max(r['s'] for r in res)
    return res, wall, timed_out, limit


def last_line(s):
    lines = [l for l in s.strip().splitlines() if l.strip()]
    return lines[-1][:400] if lines else ''


def stage(key, fn):
    t = time.monotonic()
    if left() < 10:
        report['stages'][key] = {'ok': False, 'error': 'skipped: the time budget (--budget-s) is spent'}
    else:
        try:
            report['stages'][key] = fn()
        except Exception as e:
            report['stages'][key] = {'ok': False, 'error': f'{type(e).__name__}: {e}'}
    report['stages'][key]['stage_s'] = round(time.monotonic() - t, 1)
    print(f"[{time.monotonic() - T0:6.1f}s] {key}: " + json.dumps({k: v for k, v in report['stages'][key].items()
                                                                  if k in ('ok', 'fps', 'error', 'frames', 'wall_s')}),
          flush=True)
    save()


HW_FAIL = re.compile(r'Failed setup for format cuda|hwaccel initialisation returned error|Cannot load libcuda|'
                     r'No device available for decoder|Device creation failed|CUDA_ERROR|cuInit', re.I)


def decode_only(n, hw, limit_s):
    def fn():
        cmds = []
        for i in range(n):
            prog = os.path.join(a.logs, f'decode-{"hw" if hw else "sw"}-{n}-{i}.progress')
            cmd = [a.ffmpeg, '-hide_banner', '-nostdin', '-v', 'warning', '-nostats', '-progress', prog]
            if hw: cmd += ['-hwaccel', a.hwaccel]  # frames copied back to the host, as the README's reference
            cmd += ['-i', a.title, '-map', '0:v:0', '-f', 'null', '-']
            cmds.append(cmd)
        res, wall, timed_out, limit = run_parallel(f'decode-{"hw" if hw else "sw"}-{n}', cmds, limit_s)
        frames, per = 0, []
        fallback = False
        for i, r in enumerate(res):
            prog = os.path.join(a.logs, f'decode-{"hw" if hw else "sw"}-{n}-{i}.progress')
            f = 0
            try:
                f = int(re.findall(r'^frame=(\d+)', open(prog).read(), re.M)[-1])
            except Exception:
                pass
            frames += f
            per.append(round(f / r['s'], 1) if r['s'] > 0 else 0)
            if hw and HW_FAIL.search(r['stderr']): fallback = True
        ok = all(r['rc'] == 0 for r in res) and not timed_out and not fallback and frames > 0
        d = {'ok': ok, 'streams': n, 'hwaccel': a.hwaccel if hw else 'none', 'frames': frames,
             'wall_s': round(wall, 3), 'fps': round(frames / wall, 1) if wall > 0 else 0, 'fps_per_stream': per}
        if not ok:
            errs = [next((l for l in r['stderr'].splitlines() if HW_FAIL.search(l)), last_line(r['stderr']))
                    for r in res if r['rc'] != 0 or HW_FAIL.search(r['stderr'])]
            d['error'] = ('timed out after %.0f s; ' % limit if timed_out else '') + \
                         ('hardware decode did not run (FFmpeg fell back or failed): ' if fallback else '') + \
                         (errs[0] if errs else 'no frames decoded')
        return d
    return fn


def cli_stage(kind, n, limit_s):
    def fn():
        if not CLI_OK:
            return {'ok': False, 'error': f'{a.cli}: not built'}
        cmds = []
        extra_note = None
        for i in range(n):
            if kind == 'shots':
                cmd = [a.cli, 'shots', a.title, '--json']
                if HAS_DECODER['shots']: cmd += ['--decoder', a.decoder]
            else:
                db = os.path.join(a.work, f'{kind}-{n}-{i}.db')
                for suffix in ('', '-wal', '-shm'):
                    try: os.remove(db + suffix)
                    except FileNotFoundError: pass
                cmd = [a.cli, 'ingest', a.title, '--db', 'sqlite://' + db, '--device', a.device, '--json']
                # N processes share the cores (each would take them all: OpenMP spinning on oversubscribed cores
                # measured 3x slower here), as `ingest --jobs N` shares them in one process.
                if n > 1: cmd += ['--threads', str(max(1, (os.cpu_count() or 1) // n))]
                if HAS_DECODER['ingest']: cmd += ['--decoder', a.decoder]
                # ingest_video: the scan and the zoo on its one decode (what the GPU speeds up); ingest: with the
                # on-screen text too, on the same decode (a seek into the credits only), Tesseract on the CPU.
                cmd += ['--skip', 'ocr,transcript'] if kind == 'ingest_video' else a.ingest_args.split()
            cmds.append(cmd)
        res, wall, timed_out, limit = run_parallel(f'{kind}-{n}', cmds, limit_s)
        frames, decoders, per = 0, [], []
        for r in res:
            f = 0
            if kind == 'shots':
                try:
                    j = json.loads(r['stdout'])
                    f = int(j.get('frames', 0))
                    decoders.append(j.get('decoder', 'absent from the JSON (binary without --decoder)'))
                except Exception:
                    pass
            elif r['rc'] == 0:
                f = TITLE_FRAMES  # ingest reports title ids, not frames: the title's frame count (ffmpeg decode-only)
                try:
                    decoders.append(json.loads(r['stdout'])['titles'][0].get('decoder', 'absent from the JSON'))
                except Exception:
                    pass
            frames += f
            per.append(round(f / r['s'], 1) if r['s'] > 0 else 0)
        ok = all(r['rc'] == 0 for r in res) and not timed_out and frames > 0
        d = {'ok': ok, 'streams': n, 'command': ' '.join(cmds[0][1:]).replace(a.title, 'TITLE'), 'frames': frames,
             'wall_s': round(wall, 3), 'fps': round(frames / wall, 1) if wall > 0 else 0, 'fps_per_title': per}
        if decoders: d['decoder'] = decoders[0] if all(x == decoders[0] for x in decoders) else decoders
        if kind.startswith('ingest'):
            try: d['output'] = json.loads(res[0]['stdout'])
            except Exception: pass
            # The line frameline-cli prints on stderr for each title: "'TITLE': h264 on NVDEC" or "in software (why)".
            lines = [l for l in res[0]['stderr'].splitlines() if re.search(r"': \S+ (on NVDEC|in software)", l)]
            if lines: d['decoder_lines'] = lines[:3]
        if not ok:
            errs = [last_line(r['stderr']) for r in res if r['rc'] != 0]
            d['error'] = ('timed out after %.0f s; ' % limit if timed_out else '') + (errs[0] if errs else 'no frames')
            if timed_out and TITLE_FRAMES:  # none finished in time: slower than this
                d['fps_upper_bound'] = round(n * TITLE_FRAMES / limit, 1)
        return d
    return fn


def jobs_stage(n, limit_s):
    """`frameline-cli ingest --jobs N` over N copies of the title in one process and one SQLite file: the product's
    own way to keep N NVDEC engines busy (the ingest_N stage runs N processes). Each copy is remuxed with a comment
    of its own, so that the content hashes differ and no copy is "already stored"."""
    def fn():
        if not CLI_OK:
            return {'ok': False, 'error': f'{a.cli}: not built'}
        if not HAS_JOBS:
            return {'ok': False, 'error': 'this frameline-cli ingest has no --jobs'}
        copies = []
        for i in range(n):
            c = os.path.join(a.work, f'copy-{i}.mp4')
            if not os.path.exists(c):
                r = subprocess.run([a.ffmpeg, '-v', 'error', '-y', '-i', a.title, '-map', '0', '-c', 'copy',
                                    '-metadata', f'comment=frameline bench copy {i}', c],
                                   capture_output=True, text=True, env=ENV, timeout=60)
                if r.returncode != 0:
                    return {'ok': False, 'error': 'remuxing a copy of the title failed: ' + last_line(r.stderr)}
            copies.append(c)
        db = os.path.join(a.work, f'ingest-jobs-{n}.db')
        for suffix in ('', '-wal', '-shm'):
            try: os.remove(db + suffix)
            except FileNotFoundError: pass
        cmd = [a.cli, 'ingest', *copies, '--db', 'sqlite://' + db, '--device', a.device, '--jobs', str(n), '--json']
        if HAS_DECODER['ingest']: cmd += ['--decoder', a.decoder]
        cmd += a.ingest_args.split()
        res, wall, timed_out, limit = run_parallel(f'ingest_jobs-{n}', [cmd], limit_s)
        r = res[0]
        stored = 0
        try: stored = len(json.loads(r['stdout'])['titles'])
        except Exception: pass
        ok = r['rc'] == 0 and not timed_out and stored == n
        frames = TITLE_FRAMES * stored if ok else 0
        d = {'ok': ok, 'streams': n, 'command': ' '.join(cmd[1:]).replace(a.work + '/', ''), 'frames': frames,
             'wall_s': round(wall, 3), 'fps': round(frames / wall, 1) if wall > 0 and ok else 0}
        if not ok:
            d['error'] = ('timed out after %.0f s; ' % limit if timed_out else '') + \
                         (last_line(r['stderr']) or f'{stored} of {n} titles stored')
        return d
    return fn


def zoo():
    # `frameline-cli models bench`: each ready model at each batch size (median of --runs), float16 on CUDA.
    if left() < 40:
        return {'ok': False, 'error': 'skipped: less than 40 s of the time budget (--budget-s) left'}
    cmd = [a.cli, 'models', 'bench', '--device', a.device, '--batch', a.zoo_batches, '--runs', '10', '--json']
    res, wall, timed_out, limit = run_parallel('zoo', [cmd], min(240, left() - 5))
    r = res[0]
    d = {'ok': r['rc'] == 0 and not timed_out, 'wall_s': round(wall, 1)}
    try:
        d['result'] = json.loads(r['stdout'])
        # img/s per model and batch, and each batch's gain over batch 1 in the same run.
        d['img_per_s'] = {}
        for m in d['result'].get('models', []):
            per = {str(b['batch']): round(1000.0 / b['per_item_ms'], 1) for b in m.get('batches', []) if b.get('per_item_ms')}
            if per.get('1'):
                per.update({'x' + k + '_over_1': round(v / per['1'], 2) for k, v in per.items() if k != '1'})
            d['img_per_s'][m['name']] = per
    except Exception: pass
    if not d['ok']:
        d['error'] = ('timed out after %.0f s; ' % limit if timed_out else '') + last_line(r['stderr'])
    return d


# --- The system.
report['system']['nvidia_smi'] = sh(['nvidia-smi', '--query-gpu=name,driver_version,memory.total,clocks.max.sm',
                                     '--format=csv,noheader']) if shutil.which('nvidia-smi') else 'no nvidia-smi'
report['system']['torch'] = sh([sys.executable, '-c', 'import torch;print(torch.__version__, "cuda", torch.version.cuda,'
                                ' "available", torch.cuda.is_available(), torch.cuda.get_device_name(0) if '
                                'torch.cuda.is_available() else "")'], timeout=60)
report['system']['ffmpeg'] = sh([a.ffmpeg, '-hide_banner', '-version']).splitlines()[0]
report['system']['nproc'] = os.cpu_count()
report['system']['loadavg_at_start'] = os.getloadavg()
report['system']['models'] = sh([a.cli, 'models', 'list', '--json'])
try:
    report['system']['models'] = {m['name']: m['state'] for m in json.loads(report['system']['models'])['models']}
except Exception:
    pass

# --- The title: its frame count from the container (nb_frames), checked against what the decoders count.
FFPROBE = os.path.join(os.path.dirname(a.ffmpeg), 'ffprobe') if os.path.dirname(a.ffmpeg) else 'ffprobe'
try:
    j = json.loads(subprocess.run([FFPROBE, '-v', 'error', '-select_streams', 'v:0', '-show_entries',
                                   'stream=codec_name,width,height,avg_frame_rate,bit_rate,nb_frames,duration',
                                   '-of', 'json', a.title], capture_output=True, text=True, env=ENV).stdout)['streams'][0]
    num, _, den = j.get('avg_frame_rate', '0/1').partition('/')
    report['title'].update(codec=j.get('codec_name'), width=j.get('width'), height=j.get('height'),
                           fps=round(float(num) / float(den or 1), 3), video_kbps=int(j.get('bit_rate', 0)) // 1000,
                           duration_s=float(j.get('duration', 0)), frames=int(j.get('nb_frames', 0)))
except Exception as e:
    report['title']['error'] = f'{FFPROBE}: {e}'
report['title']['bytes'] = os.path.getsize(a.title)
TITLE_FRAMES = report['title'].get('frames', 0)

# --- --decoder in this frameline-cli? (the lead adds it in issue #10; an older binary has none)
HAS_DECODER = {}
CLI_OK = os.access(a.cli, os.X_OK)
if not CLI_OK:
    report['notes'].append(f'{a.cli}: not built (see "build"): shots and ingest are not measured, decode-only is')
for c in ('shots', 'ingest'):
    h = subprocess.run([a.cli, c, '--help'], capture_output=True, text=True, env=ENV) if CLI_OK else None
    HAS_DECODER[c] = bool(h) and '--decoder' in h.stdout
    if CLI_OK and not HAS_DECODER[c]:
        report['notes'].append(f'frameline-cli {c} has no --decoder option (a binary from before it): run without it')
report['frameline_cli_decoder_option'] = HAS_DECODER
HAS_JOBS = bool(CLI_OK) and '--jobs' in subprocess.run([a.cli, 'ingest', '--help'], capture_output=True, text=True,
                                                       env=ENV).stdout
save()

# --- Decode-only (the reference): software, then hardware, per stream count.
hw = a.hwaccel not in ('', 'none')
WANT = set(a.stages.split(','))
report['stages_run'] = sorted(WANT)
for n in STREAMS:
    if 'decode' not in WANT: break
    stage(f'decode_sw_{n}', decode_only(n, False, 90))
    if n == STREAMS[0]:
        counted = report['stages'][f'decode_sw_{n}'].get('frames', 0) // max(1, n)
        report['title']['frames_decoded'] = counted
        if counted and counted != TITLE_FRAMES:
            report['notes'].append(f'the container says {TITLE_FRAMES} frames, FFmpeg decoded {counted}: using {counted}')
            TITLE_FRAMES = counted
    if hw: stage(f'decode_hw_{n}', decode_only(n, True, 60))
for n in STREAMS:
    if 'shots' in WANT: stage(f'shots_{n}', cli_stage('shots', n, 90))
    if 'ingest' in WANT:
        stage(f'ingest_video_{n}', cli_stage('ingest_video', n, 120))
        stage(f'ingest_{n}', cli_stage('ingest', n, 150))
        if n > 1: stage(f'ingest_jobs_{n}', jobs_stage(n, 150))
if 'zoo' in WANT: stage('zoo', zoo)

# --- Ratios against decode-only in the same run (hardware decode on the GPU machine, software here).
ref = 'decode_hw' if hw else 'decode_sw'
for n in STREAMS:
    dec = report['stages'].get(f'{ref}_{n}', {})
    for what in ('ingest_video', 'ingest', 'ingest_jobs', 'shots'):
        st = report['stages'].get(f'{what}_{n}', {})
        if f'{what}_{n}' not in report['stages']:
            continue
        if dec.get('ok') and st.get('ok') and dec.get('fps'):
            r = round(st['fps'] / dec['fps'], 3)
            report['ratios'][f'{what}_over_{ref}_{n}'] = r
            if what.startswith('ingest') and a.mode == 'gpu':  # the targets are the GPU machine's
                report['ratios'][f'target_{what}_{n}_streams_met'] = r >= 0.8
        else:
            report['ratios'][f'{what}_over_{ref}_{n}'] = None
    sw, hw_ = report['stages'].get(f'decode_sw_{n}', {}), report['stages'].get(f'decode_hw_{n}', {})
    if hw and sw.get('ok') and hw_.get('ok') and sw.get('fps'):
        report['ratios'][f'decode_hw_over_sw_{n}'] = round(hw_['fps'] / sw['fps'], 3)
report['targets'] = 'issue #10: ingest >= 0.8x decode-only (NVDEC, frames to the host) at 1 and at 7 streams'
report['finished_utc'] = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())
save()
print(json.dumps(report['ratios']), flush=True)
sys.exit(0 if all(s.get('ok') for s in report['stages'].values()) else 1)
