#pragma once
// Operation metrics of one state root, kept in <root>/.metrics/ so that any number of nexcage
// processes count at once without a lock held while a backend runs and without losing a sample:
//  - each command appends one line to `journal` with one write(2) (O_APPEND: the kernel orders
//    concurrent appends whole), holding a shared flock on that file for the write only;
//  - a fold (nexcage metrics, or a command finding the journal large) takes `lock` exclusively,
//    renames the journal to journal.<seq> under an exclusive flock on it (so no append is in
//    flight, and later ones make a new journal), adds its lines to `totals` (written atomically
//    with <seq>), then removes journal.<seq>. A fold that dies at any point is finished by the
//    next: journal.<n> with n above totals' sequence is folded, one at or below it removed.
// Nothing is fsynced: the counts live where the state root does (a tmpfs on Proxmox hosts), and a
// counter that restarts from zero is what Prometheus expects after a reboot.
#include <filesystem>

#include "nexcage/metrics/totals.hpp"

namespace nexcage::metrics {

inline constexpr const char* metrics_dir = ".metrics";
// The file nexcage marks its state roots with (state/state_root.hpp's root_marker: the metrics
// layer sits below state, so it names the file itself; a unit test keeps the two equal).
inline constexpr const char* root_marker = ".nexcage-root";
// A journal this large is folded by the command that made it so.
inline constexpr std::size_t fold_threshold = 256 * 1024;

// Appends `sample` to the journal of the state root `root`, making <root>/.metrics if the root
// exists and is marked as nexcage's. Nothing otherwise (a command that failed before making the
// root, a read-only command on a directory no create has taken over). Never throws: counting
// never changes how a command ends; a failure is a debug line.
void append(const std::filesystem::path& root, const Sample& sample);

// Folds the journal and returns the totals. Throws Error(system) when the directory cannot be
// written.
Totals collect(const std::filesystem::path& root);

}  // namespace nexcage::metrics
