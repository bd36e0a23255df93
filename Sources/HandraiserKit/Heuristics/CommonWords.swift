/// Everyday English content words: frequent nouns, verbs and adjectives that any text may use
/// twice without being about them. A post's topic is what it repeats *beyond* this vocabulary,
/// so a spam comment that happens to share "offer", "result" or "believe" with a post is still
/// off its topic. Title words stay topic words even when they are common. This is a general
/// frequency list, the kind every English word-frequency count begins with, not a spam list.
enum CommonWords {
    /// The stems (as `Terms.stem` makes them) of the words below.
    static let stems: Set<String> = Set(words.split(separator: " ").map { Terms.stem(String($0)) })

    private static let words = """
        able accept account act action add age ago agree air allow almost along already also always \
        amount answer anyone anything appear apply area arm around ask away back bad base beautiful \
        become begin believe best better big bit body book both bring build business buy call car care \
        carry case cause center certain chance change child children choose city class clear close \
        come company complete consider continue control cost could country couple course cover create \
        cut day deal decide deep describe design detail develop different difficult direct discover \
        do door down draw drive drop during early easy eat effect effort else end enjoy enough enter \
        entire even event ever every example expect experience explain eye face fact fail fall family \
        far fast feel few field figure fill final find fine finish first follow food force form forward \
        free friend front full fun future game general get give glad go good great group grow guess \
        half hand happen happy hard head hear heart help high hold home hope hour house huge idea \
        important include increase information instead interest issue job join just keep kind know \
        large last late lead learn least leave left less let level life light like likely line list \
        little live local long look lose lot love low main major make man many matter may maybe mean \
        meet member mind minute miss moment money month more morning most move much must name near \
        need never new next nice night note nothing notice now number offer often old once one only \
        open order other own page part pass past pay people perhaps person pick place plan play point \
        possible power present pretty probably problem process program provide public pull put quick \
        quite rather reach read ready real reason receive recent remember rest result return right \
        rise room run same save say second see seem sell send sense serve set several share short \
        should show side simple since single site small social something sometimes soon sort sound \
        speak special spend stand start state stay step still stop story strong study stuff subject \
        such sure take talk tell term test thank thing think though thought through time today together \
        top total toward true try turn type under understand until use usual value very view visit wait \
        walk want watch water way week well while whole why wide win wish without wonder word work world \
        worth would write wrong year yes yet young
        """
}
