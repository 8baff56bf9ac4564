#!/usr/bin/env bash
# A real one-node SLURM cluster on this (Debian) machine, for the SLURM tests.
#
#   tools/slurm/local-cluster.sh install   # apt-get install slurm-wlm munge (root)
#   tools/slurm/local-cluster.sh start     # munged, slurmctld, slurmd; waits until the node is idle
#   tools/slurm/local-cluster.sh stop      # stops the three daemons by the PIDs it recorded
#   tools/slurm/local-cluster.sh status
#
# No systemd here: each daemon runs in the foreground (-D / -F) in the background
# of this script, its PID kept in $STATE/pids. No accounting database: jobs are
# tracked with squeue (pass --slurm-status-command squeue to the executor plugin).
set -euo pipefail
STATE=${GLASSBOX_SLURM_STATE:-/tmp/glassbox-slurm}
CONF=/etc/slurm/slurm.conf

log() { echo "local-cluster: $*" >&2; }

install() {
    if command -v slurmctld >/dev/null && command -v munged >/dev/null; then return 0; fi
    [ "$(id -u)" = 0 ] || { log "installing SLURM needs root"; return 1; }
    command -v apt-get >/dev/null || { log "no apt-get: not a Debian machine"; return 1; }
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
}

wait_for() {  # wait_for SECONDS COMMAND...
    local limit=$1; shift
    for _ in $(seq $((limit * 4))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.25; done
    return 1
}

start() {
    [ "$(id -u)" = 0 ] || { log "starting SLURM daemons needs root"; exit 1; }
    if [ -f "$STATE/pids" ]; then stop; fi
    mkdir -p "$STATE"
    chown slurm:slurm "$STATE"  # slurmctld runs as SlurmUser and writes its logs here
    local host cpus mem
    host=$(hostname -s)
    cpus=$(nproc)
    mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 * 8 / 10 ))
    mkdir -p /etc/slurm /var/lib/slurm/slurmctld /var/spool/slurmd /run/munge
    chown -R slurm:slurm /var/lib/slurm /var/spool/slurmd 2>/dev/null || true
    chown munge:munge /run/munge
    [ -f /etc/munge/munge.key ] || { dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null;
                                     chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key; }
    cat > "$CONF" <<CONF
ClusterName=glassbox
SlurmctldHost=${host}(127.0.0.1)
SlurmUser=slurm
AuthType=auth/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$STATE/jobcomp.txt
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=500
ReturnToService=2
MinJobAge=300
MailProg=/bin/true
StateSaveLocation=/var/lib/slurm/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$STATE/slurmctld.log
SlurmdLogFile=$STATE/slurmd.log
NodeName=${host} NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=${mem} State=UNKNOWN
PartitionName=main Nodes=${host} Default=YES MaxTime=INFINITE State=UP
CONF
    runuser -u munge -- /usr/sbin/munged -F >"$STATE/munged.out" 2>&1 &
    echo "munged $!" > "$STATE/pids"
    wait_for 10 sh -c 'munge -n | unmunge' || { log "munged did not start"; stop; exit 1; }
    /usr/sbin/slurmctld -D -i >"$STATE/slurmctld.out" 2>&1 &
    echo "slurmctld $!" >> "$STATE/pids"
    wait_for 30 sh -c 'scontrol ping | grep -q UP' || { log "slurmctld did not come up"; stop; exit 1; }
    /usr/sbin/slurmd -D >"$STATE/slurmd.out" 2>&1 &
    echo "slurmd $!" >> "$STATE/pids"
    wait_for 60 sh -c 'sinfo -h -o %T | grep -q idle' || { log "node not idle: $(sinfo -h -o %T)"; stop; exit 1; }
    log "up: $(sinfo -h -o '%P %D %T %c CPUs')"
}

stop() {
    [ -f "$STATE/pids" ] || return 0
    tac "$STATE/pids" | while read -r name pid; do
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
        kill -9 "$pid" 2>/dev/null || true
        log "stopped $name ($pid)"
    done
    rm -f "$STATE/pids"
}

status() {
    [ -f "$STATE/pids" ] && cat "$STATE/pids" && sinfo || echo "not running"
}

case "${1:-}" in
    install) install ;;
    start) install && start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
