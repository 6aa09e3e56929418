/* umfuseext2: reading a file's data straight from its blocks.
 *
 * ext2fs_file_read() reads one block per call to the I/O channel, that is
 * one pread of the image per block (1 KiB on a small file system).  Here
 * a read is cut into runs of blocks that lie one after the other in the
 * image, from the file's extents (or its block map), and each run is read
 * with one call: a 128 KiB read is then one pread, or a few.
 *
 * The I/O channel stays the only way to the image: a run of more than a
 * few blocks makes unix_io write its dirty cached blocks out first, a
 * short one is read through its cache, so what was written is what is
 * read. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ext2fuse.h"

/* The longest run read at once, in blocks (bounds one pread). */
#define RUN_MAX 1024

struct run {
	blk64_t pblk;	/* first block in the image; 0: reads as zeros */
	blk64_t len;	/* blocks */
};

/* The run of blocks at logical block lblk, at most max long.  A hole and
 * an unwritten extent read as zeros. */
static errcode_t map_extent(ext2_extent_handle_t h, blk64_t lblk,
			    blk64_t max, struct run *r)
{
	struct ext2fs_extent x;
	errcode_t err;

	err = ext2fs_extent_goto(h, lblk);
	if (!err)
		err = ext2fs_extent_get(h, EXT2_EXTENT_CURRENT, &x);
	if (err == EXT2_ET_EXTENT_NOT_FOUND || err == EXT2_ET_NO_CURRENT_NODE ||
	    (!err && (lblk < x.e_lblk || lblk >= x.e_lblk + x.e_len))) {
		r->pblk = 0; /* a hole: one block at a time is enough */
		r->len = 1;
		return 0;
	}
	if (err)
		return err;
	r->len = x.e_lblk + x.e_len - lblk;
	if (r->len > max)
		r->len = max;
	r->pblk = x.e_flags & EXT2_EXTENT_FLAGS_UNINIT ?
		  0 : x.e_pblk + (lblk - x.e_lblk);
	return 0;
}

/* The same for a file without extents (ext2/ext3 block maps). */
static errcode_t map_blockmap(ext2_filsys fs, ext2_ino_t ino,
			      struct ext2_inode *in, blk64_t lblk, blk64_t max,
			      struct run *r)
{
	blk64_t next;
	errcode_t err;

	err = ext2fs_bmap2(fs, ino, in, NULL, 0, lblk, NULL, &r->pblk);
	if (err)
		return err;
	for (r->len = 1; r->len < max && r->pblk; r->len++) {
		err = ext2fs_bmap2(fs, ino, in, NULL, 0, lblk + r->len, NULL,
				   &next);
		if (err || next != r->pblk + r->len)
			break;
	}
	return 0;
}

/* Read size bytes at off of the (not inline) file ino, whose size and
 * mapping are in *in; the caller has clamped the range to the size.
 * Bytes read, or -errno. */
int e2f_read_blocks(struct e2f *e, ext2_ino_t ino,
		    struct ext2_inode_large *in, char *buf, size_t size,
		    __u64 off)
{
	ext2_filsys fs = e->fs;
	unsigned int bs = fs->blocksize;
	ext2_extent_handle_t h = NULL;
	char *bounce = NULL;
	size_t done = 0;
	errcode_t err = 0;

	if (in->i_flags & EXT4_EXTENTS_FL) {
		err = ext2fs_extent_open2(fs, ino, (struct ext2_inode *)in,
					  &h);
		if (err)
			return -e2f_errno(err);
	}
	while (!err && done < size) {
		__u64 pos = off + done;
		blk64_t lblk = pos / bs;
		unsigned int boff = pos % bs;
		size_t left = size - done;
		blk64_t max = (boff + left + bs - 1) / bs;
		struct run r;

		if (max > RUN_MAX)
			max = RUN_MAX;
		err = h ? map_extent(h, lblk, max, &r) :
			  map_blockmap(fs, ino, (struct ext2_inode *)in, lblk,
				       max, &r);
		if (err)
			break;
		if (r.pblk && (r.pblk < fs->super->s_first_data_block ||
			       r.pblk + r.len > ext2fs_blocks_count(fs->super))) {
			err = EXT2_ET_BAD_BLOCK_NUM; /* a corrupt map */
			break;
		}
		if (!r.pblk) {
			size_t n = r.len * bs - boff;

			n = n < left ? n : left;
			memset(buf + done, 0, n);
			done += n;
		} else if (boff == 0 && left >= bs) {
			/* whole blocks, into the caller's buffer */
			blk64_t whole = left / bs < r.len ? left / bs : r.len;

			err = io_channel_read_blk64(fs->io, r.pblk, (int)whole,
						    buf + done);
			done += whole * bs;
		} else {
			/* a part of one block */
			size_t n = bs - boff < left ? bs - boff : left;

			if (!bounce && !(bounce = malloc(bs))) {
				err = EXT2_ET_NO_MEMORY;
				break;
			}
			err = io_channel_read_blk64(fs->io, r.pblk, 1, bounce);
			if (!err)
				memcpy(buf + done, bounce + boff, n);
			done += n;
		}
	}
	free(bounce);
	if (h)
		ext2fs_extent_free(h);
	return err ? -e2f_errno(err) : (int)done;
}
