/**
 * English words so frequent that they say nothing about a post: the presearcher avoids indexing a
 * query under them, and exclusion suggestions never propose them.
 */
export const commonWords: ReadonlySet<string> = new Set(
  (
    'the a an to and or of in on at for is are was be been it its this that i me my you your we our ' +
    'they he she him her them with not no yes do does did have has had just so but if from by as up ' +
    'out get got can will would what when how all any one im dont cant u ur rt amp there their then ' +
    'than about into more some very also only who why which were been being am us'
  ).split(' '),
);
