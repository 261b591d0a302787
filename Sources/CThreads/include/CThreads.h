/* Thread naming, which Swift's Glibc module does not export. */
#ifndef OUTPOST_CTHREADS_H
#define OUTPOST_CTHREADS_H

/* Names the calling thread, as `top -H` and perf show it; cut to the kernel's 15 bytes. */
void outpost_name_current_thread(const char *name);

#endif
