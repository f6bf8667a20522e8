#!/usr/bin/env bash
# A sweep on Slurm as a job array: array task i runs shard i of the array's size, each into its own sweep
# folder; a dependent job (or you, afterwards) merges them:
#   sbatch --array=1-4 docs/batch/sweep-slurm.sh sweep.json
#   sbatch --dependency=afterok:<jobid> --wrap 'npx lastmile report sweeps/<jobid>/shard-* --out sweeps/<jobid>/report'
# In a container (the image from docs/batch/Dockerfile), set LASTMILE="apptainer exec lastmile.sif npx lastmile".
# scripts/cli-determinism.mjs runs this script locally with two array tasks and checks the merge.
#SBATCH --job-name=lastmile-sweep
#SBATCH --cpus-per-task=2
#SBATCH --mem=4G
#SBATCH --time=04:00:00
#SBATCH --output=lastmile-sweep-%A_%a.out
set -euo pipefail

SPEC="${1:?usage: sbatch --array=1-N sweep-slurm.sh sweep.json [OUTDIR]}"
: "${SLURM_ARRAY_TASK_ID:?run as a job array (sbatch --array=1-N)}"
: "${SLURM_ARRAY_TASK_COUNT:?run as a job array (sbatch --array=1-N)}"
OUT="${2:-sweeps/${SLURM_ARRAY_JOB_ID:-local}}"
LASTMILE="${LASTMILE:-npx lastmile}"

cd "${SLURM_SUBMIT_DIR:-.}"
$LASTMILE sweep "$SPEC" --out "$OUT/shard-$SLURM_ARRAY_TASK_ID" --shard "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT" --workers "${SLURM_CPUS_PER_TASK:-1}"
