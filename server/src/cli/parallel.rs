//! The threads of `check`: each file is read, analysed and fixed on a worker, and the
//! outcomes come back in input order, so what `check` prints does not depend on how
//! many threads there were or which finished first.
//!
//! How many: `--jobs N`, else `RAYON_NUM_THREADS`, else one per core, and never more
//! than there are files. With one, everything runs on the calling thread, as it did
//! before there were workers.

use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// A worker's stack. `check` ran on the main thread, whose stack is 8 MiB on Linux;
/// the workers get as much, so that no input that checked before overflows one now.
/// It is address space reserved, not memory used.
const STACK: usize = 8 << 20;

/// The threads to use: `jobs` (from `--jobs`), else `RAYON_NUM_THREADS` when it is a
/// number above zero, else the cores this process may use.
pub fn threads(jobs: Option<NonZeroUsize>) -> usize {
    jobs.map(NonZeroUsize::get)
        .or_else(|| {
            std::env::var("RAYON_NUM_THREADS")
                .ok()
                .and_then(|v| v.trim().parse::<usize>().ok())
                .filter(|n| *n > 0)
        })
        .or_else(|| {
            std::thread::available_parallelism()
                .ok()
                .map(NonZeroUsize::get)
        })
        .unwrap_or(1)
}

/// The files in units of work, each a list of indices into `files`, ascending, the
/// units in the order of their first index. A unit is one file, except with
/// `same_file`: then the names of one file (`a.yaml` and `x/../a.yaml`, or a link and
/// its target) make one unit, checked in order on one thread. That is for `--fix`,
/// which writes the files: one after the other, the second name sees the first's fixes,
/// as when all files were checked in turn, and no two threads write one file.
pub fn units<'a>(files: impl IntoIterator<Item = &'a Path>, same_file: bool) -> Vec<Vec<usize>> {
    let mut units: Vec<Vec<usize>> = Vec::new();
    let mut by_file: HashMap<PathBuf, usize> = HashMap::new();
    for (index, file) in files.into_iter().enumerate() {
        if same_file {
            // A file that cannot be resolved (it may not exist) is its own unit; it is
            // reported as unreadable.
            let real = file.canonicalize().unwrap_or_else(|_| file.to_path_buf());
            if let Some(&unit) = by_file.get(&real)
                && let Some(unit) = units.get_mut(unit)
            {
                unit.push(index);
                continue;
            }
            by_file.insert(real, units.len());
        }
        units.push(vec![index]);
    }
    units
}

/// `work` applied to each of `jobs`, on up to `threads` threads, one unit (see
/// [`units`]) at a time; the results in the order of `jobs`.
pub fn map_in_order<J, R>(
    jobs: &[J],
    units: &[Vec<usize>],
    threads: usize,
    work: impl Fn(&J) -> R + Sync,
) -> Vec<R>
where
    J: Sync,
    R: Send,
{
    let run_unit = |unit: &Vec<usize>| -> Vec<(usize, R)> {
        unit.iter()
            .filter_map(|&i| jobs.get(i).map(|job| (i, work(job))))
            .collect()
    };
    let threads = threads.min(units.len());
    let pool = if threads > 1 {
        // Should the threads not start, the files are checked on this one: the same
        // output, later.
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .stack_size(STACK)
            .thread_name(|i| format!("apigw-lsp-check-{i}"))
            .build()
            .ok()
    } else {
        None
    };
    let done: Vec<Vec<(usize, R)>> = match pool {
        Some(pool) => pool.install(|| units.par_iter().map(run_unit).collect()),
        None => units.iter().map(run_unit).collect(),
    };
    let mut done: Vec<(usize, R)> = done.into_iter().flatten().collect();
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_input_order_whatever_the_threads() {
        let jobs: Vec<usize> = (0..500).collect();
        let units: Vec<Vec<usize>> = jobs.iter().map(|&i| vec![i]).collect();
        // Early jobs take longest, so they finish last.
        let work = |&i: &usize| {
            std::thread::sleep(std::time::Duration::from_micros((500 - i as u64) * 2));
            i * 3
        };
        let expected: Vec<usize> = jobs.iter().map(|i| i * 3).collect();
        for threads in [1, 2, 4, 16] {
            assert_eq!(map_in_order(&jobs, &units, threads, work), expected);
        }
    }

    #[test]
    fn units_keep_jobs_of_one_file_together_in_order() {
        let dir = std::env::temp_dir().join(format!("apigw-lsp-units-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).expect("temp dir");
        std::fs::write(dir.join("a.yaml"), "a").expect("write");
        std::fs::write(dir.join("b.yaml"), "b").expect("write");
        let files = [
            dir.join("a.yaml"),
            dir.join("b.yaml"),
            dir.join("sub/../a.yaml"),
            dir.join("missing.yaml"),
            dir.join("missing.yaml"),
        ];
        let paths = || files.iter().map(PathBuf::as_path);
        assert_eq!(units(paths(), true), [vec![0, 2], vec![1], vec![3, 4]]);
        assert_eq!(
            units(paths(), false),
            [vec![0], vec![1], vec![2], vec![3], vec![4]]
        );
        // Grouped units still give one result per job, in job order.
        let grouped = units(paths(), true);
        let out = map_in_order(&files, &grouped, 3, |f| f.clone());
        assert_eq!(out, files);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
