export interface TdStickyProps {
    container?: {
        type: undefined;
        value?: null;
    };
    disabled?: {
        type: BooleanConstructor;
        value?: boolean;
    };
    offsetTop?: {
        type: null;
        value?: string | number;
    };
    zIndex?: {
        type: NumberConstructor;
        value?: number;
    };
}
