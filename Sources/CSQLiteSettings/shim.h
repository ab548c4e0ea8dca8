#ifndef LORE_SQLITE_SETTINGS_H
#define LORE_SQLITE_SETTINGS_H
#include <sqlite3.h>

/// Turns off SQLite's process-wide memory statistics, whose one mutex every allocation of every
/// connection takes (readers serving concurrent searches wait on it). Takes effect only before
/// SQLite initialises: returns SQLITE_OK, or SQLITE_MISUSE when it is too late. `sqlite3_config`
/// is variadic, which Swift cannot call.
static inline int lore_sqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

#endif
