#ifndef C_MALLOC_TRIM_H
#define C_MALLOC_TRIM_H

/// Gives the C library's free heap pages back to the system: glibc's `malloc_trim(0)`; nothing
/// where the C library has no such call.
void c_malloc_trim(void);

#endif
