/* dedup.c - sources repeat items across pages (shifting cursors, boosted
 * posts, pages re-fetched after a resume); we emit each source+id once. */
#include "dedup.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

uint64_t cxf_dedup_key(const char *source, const char *id)
{
    uint64_t h = CXF_FNV_SEED;
    h = cxf_fnv1a(source ? source : "", source ? strlen(source) : 0, h);
    h = cxf_fnv1a("\t", 1, h);
    h = cxf_fnv1a(id, strlen(id), h);
    return h ? h : 1; /* 0 marks an empty slot */
}

static int rehash(cxf_dedup *d, size_t ncap)
{
    uint64_t *ns = calloc(ncap, sizeof *ns);
    size_t i;
    if (!ns)
        return -1;
    for (i = 0; i < d->cap; i++) {
        if (d->slots[i]) {
            size_t j = (size_t)(d->slots[i] & (ncap - 1));
            while (ns[j])
                j = (j + 1) & (ncap - 1);
            ns[j] = d->slots[i];
        }
    }
    free(d->slots);
    d->slots = ns;
    d->cap = ncap;
    return 0;
}

int cxf_dedup_has(const cxf_dedup *d, uint64_t key)
{
    size_t j;
    if (!d->cap)
        return 0;
    key = key ? key : 1;
    j = (size_t)(key & (d->cap - 1));
    while (d->slots[j]) {
        if (d->slots[j] == key)
            return 1;
        j = (j + 1) & (d->cap - 1);
    }
    return 0;
}

int cxf_dedup_add(cxf_dedup *d, uint64_t key)
{
    size_t j;
    key = key ? key : 1;
    if (cxf_dedup_has(d, key))
        return 0;
    if ((d->n + 1) * 2 > d->cap && rehash(d, d->cap ? d->cap * 2 : 256))
        return -1;
    j = (size_t)(key & (d->cap - 1));
    while (d->slots[j])
        j = (j + 1) & (d->cap - 1);
    d->slots[j] = key;
    d->n++;
    return 1;
}

void cxf_dedup_free(cxf_dedup *d)
{
    free(d->slots);
    memset(d, 0, sizeof *d);
}
