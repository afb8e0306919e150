/* dedup.h - set of 64-bit hashes of "source\tid". */
#ifndef CXSENT_FETCH_DEDUP_H
#define CXSENT_FETCH_DEDUP_H

#include <stddef.h>
#include <stdint.h>

typedef struct cxf_dedup {
    uint64_t *slots; /* open addressing; 0 = empty */
    size_t cap, n;
} cxf_dedup;

uint64_t cxf_dedup_key(const char *source, const char *id);
/* 1 = newly added, 0 = already present, -1 = ENOMEM. */
int cxf_dedup_add(cxf_dedup *d, uint64_t key);
int cxf_dedup_has(const cxf_dedup *d, uint64_t key);
void cxf_dedup_free(cxf_dedup *d);

#endif
