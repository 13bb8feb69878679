#!/bin/bash
# A throwaway single-node Slurm for tests (issue #11): munged, slurmctld and slurmd with their own key, socket,
# config, state, spool and log directories under DIR, on free loopback ports, so a system Slurm or munge (if any)
# is never touched. Node "frameline-node" has the CPUs `slurmd -C` reports and N fake GPUs (gres gpu backed by
# files linked to /dev/null): enough for sbatch --gres=gpu:1 to schedule, not for CUDA.
#
#   single-node-slurm.sh start DIR [WATCH_PID] [GPUS]   prints the env lines to use it: SLURM_CONF=..., and waits
#                                                      until the node is idle. With WATCH_PID, a watchdog stops
#                                                      everything when that process is gone (a crashed test).
#   single-node-slurm.sh stop DIR                      stops the daemons (idempotent); leaves DIR to its owner
#
# Must run as root (slurmd starts jobs as their users; munged and slurmctld run as root here: SlurmUser=root).
# Known pitfalls handled here: munge's socket directory must be world-executable (clients connect through it);
# RealMemory must not exceed what `slurmd -C` reports (the node would be drained as "Low RealMemory"); there is no
# slurmdbd, so job states come from squeue/scontrol, never sacct; proctrack/linuxproc and task/none because a
# container has no writable cgroup tree.
set -euo pipefail

die() { echo "single-node-slurm: $*" >&2; exit 1; }

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

stop_pidfile() {
    local file=$1 pid
    [[ -f $file ]] || return 0
    pid=$(cat "$file" 2>/dev/null || true)
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || { rm -f "$file"; return 0; }
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$file"
}

stop() {
    local dir=$1
    [[ -d $dir ]] || return 0
    # Jobs first (their steps' slurmstepd), then the node, the controller, munge, and the watchdog.
    if [[ -f $dir/etc/slurm.conf ]] && [[ -f $dir/run/slurmctld.pid ]]; then
        SLURM_CONF=$dir/etc/slurm.conf timeout 5 scancel --quiet --user=root 2>/dev/null || true
    fi
    stop_pidfile "$dir/run/slurmd.pid"
    # slurmstepd processes of this cluster (their command line names our spool dir's node) that outlived slurmd.
    for pid in $(pgrep -f "slurmstepd: \[" 2>/dev/null || true); do
        if tr '\0' '\n' < "/proc/$pid/environ" 2>/dev/null | grep -qx "SLURM_CONF=$dir/etc/slurm.conf"; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    stop_pidfile "$dir/run/slurmctld.pid"
    stop_pidfile "$dir/run/munged.pid"
    stop_pidfile "$dir/run/watchdog.pid"
}

start() {
    local dir=$1 watch_pid=${2:-} gpus=${3:-2}
    [[ $(id -u) == 0 ]] || die "must run as root (slurmd starts jobs as their users)"
    for tool in munged slurmctld slurmd sbatch squeue scontrol; do
        command -v "$tool" >/dev/null || die "$tool is not installed (apt-get install munge slurmctld slurmd slurm-client)"
    done
    mkdir -p "$dir"/{etc,run,log,state,spool,dev}
    dir=$(cd "$dir" && pwd)
    # munge: its own key, socket, pid, seed and log. The socket dir must be world-executable; the key 0400.
    mkdir -p "$dir/munge"
    chmod 0711 "$dir" "$dir/munge"
    dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
    chmod 0400 "$dir/munge/munge.key"
    munged --force --socket="$dir/munge/munge.socket.2" --key-file="$dir/munge/munge.key" \
        --pid-file="$dir/run/munged.pid" --seed-file="$dir/munge/munged.seed" --log-file="$dir/log/munged.log" \
        || die "munged did not start: $(tail -3 "$dir/log/munged.log" 2>/dev/null)"
    for _ in $(seq 50); do [[ -S $dir/munge/munge.socket.2 ]] && break; sleep 0.1; done
    echo test | munge --socket="$dir/munge/munge.socket.2" | unmunge --socket="$dir/munge/munge.socket.2" >/dev/null \
        || die "munge round trip failed: $(tail -3 "$dir/log/munged.log")"

    local host cpus mem ctld_port slurmd_port
    host=$(hostname -s)
    cpus=$(slurmd -C | sed -n 's/.*CPUs=\([0-9]*\).*/\1/p' | head -1)
    mem=$(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' | head -1)
    [[ -n $cpus && -n $mem ]] || die "slurmd -C did not report CPUs and RealMemory"
    mem=$((mem * 9 / 10))  # never more than slurmd -C reports (it drifts a little)
    ctld_port=$(free_port)
    slurmd_port=$(free_port)
    while [[ $slurmd_port == "$ctld_port" ]]; do slurmd_port=$(free_port); done
    local gres_line="" gres_conf=""
    if ((gpus > 0)); then
        for ((i = 0; i < gpus; ++i)); do ln -sf /dev/null "$dir/dev/gpu$i"; done
        gres_line=" Gres=gpu:$gpus"
        gres_conf="NodeName=frameline-node Name=gpu File=$dir/dev/gpu[0-$((gpus - 1))]"
    fi
    cat > "$dir/etc/slurm.conf" <<EOF
# Written by tests/cluster/single-node-slurm.sh: a one-node cluster for tests, everything under $dir.
ClusterName=frameline-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket.2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
GresTypes=gpu
MpiDefault=none
ReturnToService=2
KillWait=5
MinJobAge=300
SlurmdTimeout=30
InactiveLimit=0
MaxArraySize=10001
NodeName=frameline-node NodeHostname=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem$gres_line State=UNKNOWN
PartitionName=test Nodes=frameline-node Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
EOF
    echo "$gres_conf" > "$dir/etc/gres.conf"
    # Slurm 22.05 has no "CgroupPlugin=disabled": it autodetects (v1 in this container) and only reads the tree.
    : > "$dir/etc/cgroup.conf"
    export SLURM_CONF=$dir/etc/slurm.conf
    slurmctld -f "$SLURM_CONF" -i || die "slurmctld did not start: $(tail -5 "$dir/log/slurmctld.log" 2>/dev/null)"
    slurmd -f "$SLURM_CONF" -N frameline-node || die "slurmd did not start: $(tail -5 "$dir/log/slurmd.log" 2>/dev/null)"

    if [[ -n $watch_pid ]]; then
        # The watchdog: when the owner is gone (crash, SIGKILL from a CTest timeout), stop everything.
        (
            trap '' HUP INT
            while kill -0 "$watch_pid" 2>/dev/null && [[ -d $dir ]]; do sleep 1; done
            rm -f "$dir/run/watchdog.pid"
            "$0" stop "$dir"
        ) </dev/null >/dev/null 2>&1 &
        echo $! > "$dir/run/watchdog.pid"
        disown
    fi

    # Ready when the node is idle.
    local state=""
    for _ in $(seq 300); do
        state=$(sinfo --noheader --nodes=frameline-node --format=%T 2>/dev/null || true)
        [[ $state == idle ]] && break
        sleep 0.1
    done
    [[ $state == idle ]] || die "the node is '$state', not idle after 30 s: $(tail -5 "$dir/log/slurmd.log" "$dir/log/slurmctld.log" 2>/dev/null)"
    echo "SLURM_CONF=$SLURM_CONF"
}

case "${1:-}" in
    start) [[ $# -ge 2 ]] || die "usage: $0 start DIR [WATCH_PID] [GPUS]"; start "$2" "${3:-}" "${4:-2}" ;;
    stop) [[ $# -ge 2 ]] || die "usage: $0 stop DIR"; stop "$2" ;;
    *) die "usage: $0 start DIR [WATCH_PID] [GPUS] | stop DIR" ;;
esac
